/**
 * bench/faces/verification: `submitVerification` end to end on the local stack, and what it does
 * to the rest of the API while it runs.
 *
 *   node --import tsx bench/faces/verification.ts [--verifications 78] [--rate 50] [--json]
 *
 * By default every genuine pair (13 people x 3 card scenes) is verified twice: fewer runs take
 * the first pairs only, which are the largest press photos, and their median moves by +-60 ms.
 *
 * Each verification is the web app's whole flow over HTTP: startVerification, the ID photo PUT
 * to its presigned URL on the local S3, startLivenessCheck and the liveness check streamed to the
 * offline Face Liveness stand-in (a clip filmed from another photo of the person, as
 * test/integration/verification does it), then submitVerification (the liveness session's
 * results, the ID read and checked, the faces compared by the offline matcher in worker threads,
 * the decision, the user, the token, the emails). Only the submit is timed. Meanwhile clients ask the board's `tasks(boardId: "main")` query at a steady `--rate` per
 * second (an open loop, like people and dashboards: a request is sent on time even while the
 * previous one is still out); its p99 is compared with the same load on an otherwise idle stack.
 */
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { startScratchStack } from '../../local/stack/scratch.ts';
import { createHttpClient, graphqlOk, summarize } from '../api/load.ts';
import { say } from '../say.ts';
import { standInConfirmed } from '../../test/helpers/liveness-plan.ts';
import { sourceImage, type SourceImage } from '../../test/helpers/liveness-video.ts';
import { LIVENESS_CHECK_FIELDS, runLivenessCheck, type LivenessCheck } from '../../test/helpers/verification.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const facesDir = path.resolve(projectRoot, '../shared/faces');

/** Genuine pairs (ID card, another photo of the person), every card scene of every person. */
function genuinePairs(): { card: string; selfie: string }[] {
  const facerec = ['obama', 'biden', 'kit', 'rose', 'alex'].map((p) => ({ prefix: `facerec_${p}`, selfie: `photos/${p}_2.jpg` }));
  const bbt = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'].map((p) => ({ prefix: `bbt_${p}`, selfie: `people/${p}_${p}2.png` }));
  return [...facerec, ...bbt].flatMap(({ prefix, selfie }) => ['_card', '_card_on_desk', '_card_far'].map((scene) => ({ card: `cards/${prefix}${scene}.jpg`, selfie })));
}

/** The name printed on a shared card (`cards/facerec_obama_card.jpg`: OBAMA), which the document checks compare with the name entered. */
function nameOnCard(card: string): string {
  return path.basename(card).split('_')[1]!;
}

async function main() {
  const { values } = parseArgs({ options: { verifications: { type: 'string' }, rate: { type: 'string', default: '50' }, json: { type: 'boolean' } } });
  const count = values.verifications === undefined ? genuinePairs().length * 2 : Number(values.verifications);
  const rate = Number(values.rate);
  process.env.SECURETASK_LOG_LEVEL = 'silent';
  const cleanups: (() => Promise<unknown> | void)[] = [];
  try {
    say('starting DynamoDB Local (in memory) and the local stack');
    const stack = await startScratchStack({
      config: { stage: 'facesbench', verification: { ...defaultVerificationPolicy, signup: 'open', attemptsPerSource: 1_000_000, attemptsPerEmail: 1000 } },
    });
    cleanups.unshift(() => stack.stop());

    say('seeding 300 tasks through createTask');
    const { token } = await stack.tokenFor('admin@bench.local', 'ADMIN');
    const board = createHttpClient(stack.graphqlUrl, 16, { authorization: token });
    cleanups.unshift(() => board.close());
    const gql = (query: string, variables: Record<string, unknown> = {}) => board.send('POST', '/graphql', Buffer.from(JSON.stringify({ query, variables })));
    for (let i = 0; i < 300; i++) {
      await gql('mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id } }', { t: `Task ${i}` });
    }
    await stack.fanOut.settled();

    say('loading the face models (cold start of the matcher)');
    const coldStart = Date.now();
    await stack.services.faces.warm();
    const coldMs = Date.now() - coldStart;

    const tasksQuery = Buffer.from(JSON.stringify({ query: '{ tasks(boardId: "main", limit: 50) { items { id title status } nextToken } }' }));
    const askTasks = async (until: () => boolean) => {
      const times: number[] = [];
      const inFlight: Promise<void>[] = [];
      let errors = 0;
      const interval = 1000 / rate;
      let due = performance.now();
      while (!until()) {
        const started = performance.now();
        inFlight.push(
          board.send('POST', '/graphql', tasksQuery).then((answer) => {
            times.push(performance.now() - started);
            if (!graphqlOk(answer)) errors += 1;
          }),
        );
        due += interval;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      }
      await Promise.all(inFlight);
      return { ...summarize(times), requests: times.length, errors };
    };
    say(`tasks query alone at ${rate}/s, 10 s`);
    const idleEnd = Date.now() + 10_000;
    const idle = await askTasks(() => Date.now() > idleEnd);

    const pairs = genuinePairs();
    const images = new Map<string, Buffer>();
    const people = new Map<string, SourceImage>();
    for (const { card, selfie } of pairs) {
      if (!images.has(card)) images.set(card, await readFile(path.join(facesDir, card)));
      if (!people.has(selfie)) people.set(selfie, await sourceImage(stack.services.faces, selfie));
    }
    const type = (bytes: Buffer) => (bytes[0] === 0x89 ? 'image/png' : 'image/jpeg');
    const anonymous = createHttpClient(stack.graphqlUrl, 2, { 'x-api-key': stack.apiKey });
    cleanups.unshift(() => anonymous.close());
    const call = async (query: string, variables: Record<string, unknown>) => JSON.parse((await anonymous.send('POST', '/graphql', Buffer.from(JSON.stringify({ query, variables })))).text);

    say(`${count} verifications, one after another, with the tasks query running beside them`);
    let done = false;
    const during = askTasks(() => done);
    const submitTimes: number[] = [];
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < count; i++) {
      const { card, selfie } = pairs[i % pairs.length];
      const idDocument = images.get(card)!;
      const started = await call(
        `mutation ($input: StartVerificationInput!) { startVerification(input: $input) { id uploads { purpose url headers } } }`,
        { input: { email: `person${i}@bench.local`, name: nameOnCard(card), consent: true, idDocument: { contentType: type(idDocument), size: idDocument.length } } },
      );
      const session = started.data.startVerification;
      const upload = session.uploads[0];
      const response = await fetch(upload.url, { method: 'PUT', headers: { 'Content-Type': JSON.parse(upload.headers)['Content-Type'] }, body: idDocument });
      if (!response.ok) throw new Error(`upload failed: ${response.status}`);
      // A check the offline stand-in did not confirm (its BPCER) is filmed again, as the page offers: at most twice more.
      for (let check = 0; check < 3; check++) {
        const liveness = (await call(`mutation ($id: ID!) { startLivenessCheck(id: $id) { ${LIVENESS_CHECK_FIELDS} } }`, { id: session.id })).data.startLivenessCheck as LivenessCheck;
        const run = await runLivenessCheck(stack, liveness, { kind: 'genuine', person: people.get(selfie)!, seed: 100 * i + check });
        if (run.error) throw new Error(`the liveness stream failed: ${run.error.name}: ${run.error.message}`);
        if (await standInConfirmed(stack.dataDir, liveness.sessionId)) break;
        say(`  ${i + 1}/${count}: the offline liveness check did not confirm a genuine clip; filming a new one`);
      }
      const submitStart = performance.now();
      const answer = await call(`mutation ($id: ID!) { submitVerification(id: $id) { state } }`, { id: session.id });
      submitTimes.push(performance.now() - submitStart);
      const outcome = answer.data?.submitVerification?.state ?? answer.errors?.[0]?.errorType ?? 'ERROR';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      say(`  ${i + 1}/${count} ${card} vs ${selfie}: ${outcome} in ${submitTimes.at(-1)!.toFixed(0)} ms`);
    }
    done = true;
    const loaded = await during;
    const sorted = [...submitTimes].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    const result = {
      machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      matcherColdStartMs: coldMs,
      submitVerification: { p50: p(0.5), p95: p(0.95), verifications: count, outcomes },
      tasksRatePerSecond: rate,
      tasksIdle: idle,
      tasksDuringVerifications: loaded,
      // Issue 18: the submit reads the liveness results and the ID as well as comparing the faces.
      goals: { submitP50Ms: 2000, tasksP99Ms: 50 },
    };
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`\nsubmitVerification end to end (${count} verifications): p50 ${result.submitVerification.p50.toFixed(0)} ms, p95 ${result.submitVerification.p95.toFixed(0)} ms  (goal p50 <= 2 s)`);
      console.log(`  outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`tasks query alone:            p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms (${idle.requests} requests, ${idle.errors} errors)`);
      console.log(`tasks query during verifying: p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms (${loaded.requests} requests, ${loaded.errors} errors)  (goal p99 < 50 ms)`);
      console.log(`face matcher cold start:      ${(coldMs / 1000).toFixed(1)} s`);
      console.log(`machine: ${result.machine}`);
    }
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

await main();
