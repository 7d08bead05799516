/**
 * Preloaded into the runtime under test (`node --import <this file>`): counts every DynamoDB
 * and DynamoDB Streams call the process makes, by operation and by caller, from Node's own
 * `http.client.request.start` diagnostics channel, so it needs no change to the code measured
 * (bench/fanout runs it against other checkouts too). The runtime's own client (resolvers,
 * stream pollers) signs as `local`; the functions sign as the local IAM user. The benchmark
 * reads `globalThis.__dynamodbCalls` through the inspector.
 */
import { subscribe } from 'node:diagnostics_channel';

const calls = {};
globalThis.__dynamodbCalls = calls;
subscribe('http.client.request.start', ({ request }) => {
  const target = request.getHeader('x-amz-target');
  if (typeof target !== 'string' || !target.startsWith('DynamoDB')) return;
  const caller = /Credential=local\//.test(String(request.getHeader('authorization') ?? '')) ? 'runtime' : 'functions';
  const key = `${caller} ${target.slice(target.indexOf('.') + 1)}`;
  calls[key] = (calls[key] ?? 0) + 1;
});
