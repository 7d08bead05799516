/**
 * StartFaceLivenessSession's protocol by hand, over plain ws:// (test/helpers/liveness-client.ts
 * signs the URL and the events with the SDK's signer): what no SDK sends gets Rekognition's error
 * on the stream and, once the session is claimed, a FAILED session; never a crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawLivenessSocket, type Keys } from '../helpers/liveness-client.ts';
import { REGION, startLivenessStack, type LivenessStack } from '../helpers/liveness-stack.ts';

let stack: LivenessStack;
beforeAll(async () => {
  stack = await startLivenessStack();
});
afterAll(async () => {
  await stack?.stop();
});

const open = async (options: { sessionId?: string; query?: Record<string, string>; signWith?: Keys; unsigned?: boolean } = {}) => {
  const sessionId = options.sessionId ?? (await stack.createSession());
  const socket = await rawLivenessSocket({ endpoint: stack.webSocketEndpoint, region: REGION, credentials: stack.keys, sessionId, ...options });
  return { sessionId, socket };
};
const start = (challengeType = 'FaceMovementChallenge') => ({ Challenge: { [challengeType]: { ChallengeId: 'c-1', VideoStartTimestamp: Date.now(), InitialFace: { BoundingBox: { Width: 0.2, Height: 0.4, Left: 0.1, Top: 0.2 }, InitialFaceDetectedTimestamp: Date.now() } } } });

describe('the presigned URL', () => {
  it('sends the challenge on a correctly signed URL, over ws:// as over wss://', async () => {
    const { sessionId, socket } = await open();
    await socket.until('ServerSessionInformationEvent');
    expect(socket.messages.map((m) => m.name)).toEqual(['ChallengeEvent', 'ServerSessionInformationEvent']);
    const info = JSON.parse(socket.messages[1].body);
    expect(info.SessionInformation.Challenge.FaceMovementChallenge).toMatchObject({ OvalParameters: { Width: expect.any(Number), Height: expect.any(Number) }, ChallengeConfig: { OvalHeightWidthRatio: 1.618 } });
    expect((await stack.sessionFile(sessionId)).Status).toBe('IN_PROGRESS');
    socket.ws.close();
  });

  it('refuses an unsigned URL, a URL signed with other keys, and a tampered query, without touching the session', async () => {
    for (const [options, error] of [
      [{ unsigned: true }, 'MissingAuthenticationTokenException'],
      [{ signWith: { ...stack.keys, secretAccessKey: 'not the secret' } }, 'InvalidSignatureException'],
      [{ signWith: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } }, 'UnrecognizedClientException'],
    ] as const) {
      const { sessionId, socket } = await open(options);
      await socket.closed;
      expect(socket.messages.map((m) => `${m.kind} ${m.name}`)).toEqual([`error ${error}`]);
      expect((await stack.sessionFile(sessionId)).Status).toBe('CREATED');
    }
    // The session id is part of what is signed: a URL for one session cannot open another.
    const { socket, sessionId } = await open();
    await socket.until('ServerSessionInformationEvent');
    const url = new URL(socket.ws.url);
    const other = await stack.createSession();
    url.searchParams.set('session-id', other);
    const { WebSocket } = await import('ws');
    const moved = new WebSocket(url);
    const closed = new Promise<void>((resolve) => moved.on('close', () => resolve()));
    await closed;
    expect((await stack.sessionFile(other)).Status).toBe('CREATED');
    expect(sessionId).not.toBe(other);
    socket.ws.close();
  });

  it("answers ValidationException for a query that is not Rekognition's", async () => {
    const queries: Record<string, string>[] = [{ 'video-width': 'wide' }, { 'challenge-versions': 'Nope' }, { 'challenge-versions': 'SomeOtherChallenge_1.0.0' }];
    for (const query of queries) {
      const { socket } = await open({ query });
      await socket.closed;
      expect(socket.messages.map((m) => m.name)).toEqual(['ValidationException']);
    }
  });
});

describe('the events', () => {
  it('FAILS the session on a garbled frame', async () => {
    const { sessionId, socket } = await open();
    await socket.until('ServerSessionInformationEvent');
    socket.sendRaw(Buffer.from('this is not an event-stream message at all, just some bytes'));
    expect(await socket.closed).toMatchObject({ code: 1000 });
    expect(socket.messages.at(-1)).toMatchObject({ kind: 'exception', name: 'ValidationException' });
    expect((await stack.results(sessionId)).Status).toBe('FAILED');
  });

  it('FAILS the session on a frame whose CRC is broken (a flipped bit)', async () => {
    const { sessionId, socket } = await open();
    await socket.until('ServerSessionInformationEvent');
    const original = socket.ws.send.bind(socket.ws);
    socket.ws.send = ((data: Uint8Array) => {
      const copy = Buffer.from(data);
      copy[copy.length - 10] ^= 0x01;
      original(copy);
    }) as typeof socket.ws.send;
    await socket.send('ClientSessionInformationEvent', start());
    await socket.closed;
    expect(socket.messages.at(-1)).toMatchObject({ name: 'ValidationException' });
    expect((await stack.results(sessionId)).Status).toBe('FAILED');
  });

  it('FAILS the session on an event whose signature is not the next of the chain', async () => {
    const { sessionId, socket } = await open();
    await socket.until('ServerSessionInformationEvent');
    // Correctly framed, with a signature that is not the chain's next one.
    const { encodeEnvelope, encodeEvent } = await import('../../local/aws/rekognition/liveness/stream/event-stream.ts');
    socket.sendRaw(encodeEnvelope(encodeEvent('ClientSessionInformationEvent', start()), new Date(), 'ab'.repeat(32)));
    await socket.closed;
    expect(socket.messages.at(-1)).toMatchObject({ kind: 'error', name: 'InvalidSignatureException' });
    expect((await stack.results(sessionId)).Status).toBe('FAILED');
  });

  it('FAILS the session on a text frame, an event of the wrong challenge, and an unknown event type', async () => {
    const cases: ((s: Awaited<ReturnType<typeof rawLivenessSocket>>) => Promise<void> | void)[] = [
      (s) => void s.ws.send('{"VideoEvent": {}}'),
      (s) => s.send('ClientSessionInformationEvent', start('FaceMovementAndLightChallenge')),
      (s) => s.send('VideoEvent', { VideoChunk: 12 }),
    ];
    for (const act of cases) {
      const { sessionId, socket } = await open();
      await socket.until('ServerSessionInformationEvent');
      await act(socket);
      await socket.closed;
      expect(socket.messages.at(-1)).toMatchObject({ name: 'ValidationException' });
      expect((await stack.results(sessionId)).Status).toBe('FAILED');
    }
  });

  it('FAILS the session when the client goes silent', async () => {
    const quiet = await startLivenessStack({ engine: stack.engine, liveness: { limits: { idleMs: 1500 } } });
    try {
      const sessionId = await quiet.createSession();
      const socket = await rawLivenessSocket({ endpoint: quiet.webSocketEndpoint, region: REGION, credentials: quiet.keys, sessionId });
      await socket.until('ServerSessionInformationEvent');
      await socket.closed;
      expect(socket.messages.at(-1)).toMatchObject({ name: 'ValidationException', body: expect.stringContaining('No data') });
      expect((await quiet.results(sessionId)).Status).toBe('FAILED');
      expect((await quiet.sessionFile(sessionId)).FailureReason).toBe('the client went silent');
    } finally {
      await quiet.stop();
    }
  });

  it('FAILS the session when the client disconnects halfway', async () => {
    const cut = await open();
    await cut.socket.until('ServerSessionInformationEvent');
    await cut.socket.send('ClientSessionInformationEvent', start());
    await cut.socket.send('VideoEvent', { VideoChunk: Buffer.from('1a45dfa3', 'hex').toString('base64'), TimestampMillis: Date.now() });
    cut.socket.ws.terminate();
    expect((await stack.results(cut.sessionId)).Status).toBe('FAILED');
    expect((await stack.sessionFile(cut.sessionId)).FailureReason).toBe('the client disconnected before the video ended');
  });

  it('refuses a video over 10 MB', async () => {
    const { sessionId, socket } = await open();
    await socket.until('ServerSessionInformationEvent');
    await socket.send('ClientSessionInformationEvent', start());
    const megabyte = Buffer.alloc(1_000_000, 7).toString('base64');
    for (let i = 0; i < 11 && socket.ws.readyState === socket.ws.OPEN; i++) await socket.send('VideoEvent', { VideoChunk: megabyte, TimestampMillis: Date.now() });
    await socket.closed;
    expect(socket.messages.at(-1), JSON.stringify(socket.messages.slice(2))).toMatchObject({ name: 'ValidationException', body: expect.stringContaining('10 MB') });
    expect((await stack.results(sessionId)).Status).toBe('FAILED');
  });
});
