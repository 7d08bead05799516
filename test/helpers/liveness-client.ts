/**
 * Clients of the local Face Liveness for tests and the benchmark:
 *
 * - {@link runLivenessStream}: the real `RekognitionStreamingClient`, with the SDK's own WebSocket
 *   handler (as in a browser), opening wss:// to the stand-in, receiving the challenge, filming a
 *   clip for it, and sending what Amplify's FaceLivenessDetector sends: the start event, the
 *   video in one-second chunks, the colour events, the end event, an empty chunk, then waiting
 *   for the DisconnectionEvent.
 * - {@link rawLivenessSocket}: the protocol by hand over ws:// (presigned URL and envelope
 *   signatures made with the SDK's signer), for what no SDK would send: garbled frames, unsigned
 *   events, a connection cut halfway.
 */
import { randomUUID } from 'node:crypto';
import { RekognitionStreamingClient, StartFaceLivenessSessionCommand, type LivenessRequestStream, type LivenessResponseStream } from '@aws-sdk/client-rekognitionstreaming';
import { WebSocketFetchHandler } from '@aws-sdk/middleware-websocket';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, setGlobalDispatcher } from 'undici';
import { WebSocket } from 'ws';
import { Sha256 } from '@smithy/core/checksum';
import { decodeEvent, encodeEnvelope, encodeEvent } from '../../local/aws/rekognition/liveness/stream/event-stream.ts';
import { underLoad } from './load.ts';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import type { SessionChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import { ovalRect, toBoundingBox, type Rect } from '../../local/aws/rekognition/liveness/geometry.ts';
import { webmChunks, type LivenessClip } from './liveness-video.ts';

/** AWS keys, long-term or temporary. */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Amplify UI v3's ChallengeVersions query parameter. */
export const AMPLIFY_CHALLENGE_VERSIONS = 'FaceMovementAndLightChallenge_2.0.0,FaceMovementChallenge_1.0.0';

const trusted = new Set<string>();

/** Node's own WebSocket (which the SDK's handler uses) trusts the stand-in's certificate from now on (with those trusted before), in this process. */
export function trustCertificate(cert: string): void {
  trusted.add(cert);
  setGlobalDispatcher(new Agent({ connect: { ca: [...trusted] } }));
}

/** The challenge as the server sent it, in the shape the clip maker takes. */
export function clipChallengeOf(type: SessionChallenge['Type'], server: any, width: number, height: number): SessionChallenge {
  return { Type: type, Version: '', VideoWidth: width, VideoHeight: height, OvalParameters: server.OvalParameters, ChallengeConfig: server.ChallengeConfig, ColorSequences: server.ColorSequences, LightChallengeType: server.LightChallengeType };
}

/** What happened on a stream. */
export interface StreamRun {
  challenge?: SessionChallenge;
  /** Event names in the order received. */
  received: string[];
  /** The error the SDK raised, if any. */
  error?: { name: string; message: string };
  /** ms from the last byte sent to the DisconnectionEvent. */
  decisionMs?: number;
  clip?: LivenessClip;
}

/** How the client behaves: honest by default; tests make it lie or give up. */
export interface StreamBehaviour {
  /** Sends chunks a second apart, as MediaRecorder does (default: as fast as possible; timestamps are a real-time recording's either way). */
  realtime?: boolean;
  /** Rewrites what the client reports (start and end events) before it is sent. */
  report?: (honest: HonestReport, challenge: SessionChallenge) => HonestReport;
  /** Stops after this many video chunks, without the end event and the empty chunk (the page closed). */
  stopAfterChunks?: number;
  /** Replaces the video's bytes (a file that is not a video, a cut-off one). */
  video?: (clip: LivenessClip) => Buffer;
  challengeVersions?: string;
  width?: number;
  height?: number;
}

/** The claims of the start and end events, in epoch ms and pixels. */
export interface HonestReport {
  videoStart: number;
  videoEnd: number;
  initialFace: Rect;
  initialAt: number;
  target: Rect;
  targetStart: number;
  targetEnd: number;
}

/** Runs one Face Liveness stream with the real SDK client, filming the clip for the challenge it gets. */
export async function runLivenessStream(options: {
  endpoint: string;
  region: string;
  credentials: Keys;
  sessionId: string;
  /** Films the clip once the challenge arrived; or give `clip`, filmed before for the session's planned challenge. */
  film?: (challenge: SessionChallenge) => Promise<LivenessClip>;
  clip?: LivenessClip;
  behaviour?: StreamBehaviour;
}): Promise<StreamRun> {
  const behaviour = options.behaviour ?? {};
  const width = behaviour.width ?? 640;
  const height = behaviour.height ?? 480;
  const run: StreamRun = { received: [] };
  let challengeReady!: (c: SessionChallenge) => void;
  const challenge = new Promise<SessionChallenge>((resolve) => (challengeReady = resolve));
  let disconnected!: () => void;
  const disconnection = new Promise<void>((resolve) => (disconnected = resolve));
  let lastSent = 0;

  async function* requests(): AsyncGenerator<LivenessRequestStream> {
    const given = await Promise.race([challenge, disconnection.then(() => undefined)]);
    if (!given) return;
    const clip = options.clip ?? (await options.film!(given));
    run.clip = clip;
    const t0 = Date.now();
    const honest: HonestReport = {
      videoStart: t0,
      videoEnd: t0 + Math.round(clip.durationMs),
      initialFace: clip.timeline.initialFace,
      initialAt: t0 + clip.timeline.initialFaceAtMs,
      target: ovalRect(given.OvalParameters),
      targetStart: t0 + clip.timeline.targetStartMs,
      targetEnd: t0 + clip.timeline.targetStartMs,
    };
    const told = behaviour.report ? behaviour.report(honest, given) : honest;
    const box = (r: Rect) => toBoundingBox(r, width, height);
    const challengeId = randomUUID();
    const member = (fields: object): LivenessRequestStream => ({ ClientSessionInformationEvent: { Challenge: { [given.Type]: { ChallengeId: challengeId, ...fields } } as never } });
    const initialFace = { BoundingBox: box(told.initialFace), InitialFaceDetectedTimestamp: told.initialAt };
    yield member({ VideoStartTimestamp: told.videoStart, InitialFace: initialFace });
    const chunks = webmChunks(behaviour.video ? behaviour.video(clip) : clip.webm, Math.max(1, Math.round(clip.durationMs / 1000)));
    const colors = clip.timeline.colors.map((c) => ({ ...c, at: t0 + c.startMs }));
    for (const [i, chunk] of chunks.entries()) {
      if (behaviour.realtime) await sleepUntil(t0 + i * 1000);
      // Colours shown before this chunk's second are reported before it, as the component does.
      while (colors.length && colors[0].at <= t0 + (i + 1) * 1000) {
        const c = colors.shift()!;
        yield { ClientSessionInformationEvent: { Challenge: { FaceMovementAndLightChallenge: { ChallengeId: challengeId, ColorDisplayed: { CurrentColor: { RGB: c.current }, PreviousColor: { RGB: c.previous }, SequenceNumber: c.sequenceNumber, CurrentColorStartTimestamp: c.at } } } } };
      }
      yield { VideoEvent: { VideoChunk: chunk, TimestampMillis: Date.now() } };
      if (behaviour.stopAfterChunks !== undefined && i + 1 >= behaviour.stopAfterChunks) return;
    }
    if (behaviour.realtime) await sleepUntil(t0 + clip.durationMs);
    yield member({
      InitialFace: initialFace,
      TargetFace: { BoundingBox: box(told.target), FaceDetectedInTargetPositionStartTimestamp: told.targetStart, FaceDetectedInTargetPositionEndTimestamp: told.targetEnd },
      VideoEndTimestamp: told.videoEnd,
    });
    yield { VideoEvent: { VideoChunk: new Uint8Array(0), TimestampMillis: Date.now() } };
    lastSent = performance.now();
    // The component keeps the socket open until the server's DisconnectionEvent (judging the
    // frames takes longer on a loaded machine: the face engine shares its cores).
    await Promise.race([disconnection, sleep(underLoad(60_000))]);
  }

  const client = new RekognitionStreamingClient({
    region: options.region,
    credentials: options.credentials,
    endpoint: options.endpoint,
    requestHandler: new WebSocketFetchHandler({ connectionTimeout: 10_000 }),
  });
  try {
    const response = await client.send(
      new StartFaceLivenessSessionCommand({
        SessionId: options.sessionId,
        VideoWidth: String(width),
        VideoHeight: String(height),
        ChallengeVersions: behaviour.challengeVersions ?? AMPLIFY_CHALLENGE_VERSIONS,
        LivenessRequestStream: requests(),
      }),
    );
    for await (const event of response.LivenessResponseStream as AsyncIterable<LivenessResponseStream>) {
      const name = Object.keys(event).find((k) => k !== '$unknown') ?? 'unknown';
      run.received.push(name);
      if (event.ServerSessionInformationEvent) {
        const member = event.ServerSessionInformationEvent.SessionInformation?.Challenge;
        const type = member?.FaceMovementChallenge ? 'FaceMovementChallenge' : 'FaceMovementAndLightChallenge';
        run.challenge = clipChallengeOf(type, member?.FaceMovementChallenge ?? member?.FaceMovementAndLightChallenge, width, height);
        challengeReady(run.challenge);
      }
      if (event.DisconnectionEvent) {
        run.decisionMs = performance.now() - lastSent;
        disconnected();
      }
    }
  } catch (error) {
    run.error = { name: (error as Error).name, message: (error as Error).message };
  } finally {
    disconnected();
    client.destroy();
  }
  return run;
}

/** The protocol by hand, over ws://: a presigned URL and signed envelopes, or whatever bytes a test wants. */
export async function rawLivenessSocket(options: {
  /** `ws://host:port`. */
  endpoint: string;
  region: string;
  credentials: Keys;
  sessionId: string;
  query?: Record<string, string>;
  /** Sign with these keys instead (a URL signed by someone else). */
  signWith?: Keys;
  /** Leave the URL unsigned. */
  unsigned?: boolean;
}) {
  const url = new URL(`${options.endpoint}/start-face-liveness-session-websocket`);
  const query: Record<string, string> = { 'session-id': options.sessionId, 'video-width': '640', 'video-height': '480', 'challenge-versions': AMPLIFY_CHALLENGE_VERSIONS, ...options.query };
  const keys = options.signWith ?? options.credentials;
  const signer = new SignatureV4({ service: 'rekognition', region: options.region, credentials: keys, sha256: Sha256 });
  let signature = '';
  if (!options.unsigned) {
    const presigned = await signer.presign(new HttpRequest({ method: 'GET', protocol: 'wss:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers: { host: url.host } }), { expiresIn: 60 });
    signature = String(presigned.query!['X-Amz-Signature']);
    for (const [k, v] of Object.entries(presigned.query!)) url.searchParams.set(k, String(v));
  } else {
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  }
  const ws = new WebSocket(url);
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const messages: { kind: string; name: string; body: string }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  let onMessage: (() => void) | undefined;
  ws.on('message', (data: Buffer) => {
    const message = codec.decode(data);
    const header = (n: string) => String(message.headers[n]?.value ?? '');
    const kind = header(':message-type');
    messages.push({ kind, name: kind === 'event' ? header(':event-type') : kind === 'exception' ? header(':exception-type') : header(':error-code'), body: kind === 'error' ? header(':error-message') : toUtf8(message.body) });
    onMessage?.();
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    /** Waits until a message named `name` arrived (or the socket closed). */
    async until(name: string): Promise<void> {
      while (!messages.some((m) => m.name === name)) {
        const next = new Promise<void>((resolve) => (onMessage = resolve));
        if ((await Promise.race([next.then(() => 'message'), closed.then(() => 'closed')])) === 'closed') return;
      }
    },
    /** Signs and sends an event (or raw payload bytes) as the SDK does. */
    async send(type: 'ClientSessionInformationEvent' | 'VideoEvent' | null, body?: unknown): Promise<void> {
      const payload = type ? encodeEvent(type, body) : new Uint8Array(0);
      const date = new Date();
      const signed = await signer.signMessage({ message: { headers: { ':date': { type: 'timestamp', value: date } }, body: payload }, priorSignature: signature }, { signingDate: date });
      signature = signed.signature;
      ws.send(encodeEnvelope(payload, date, signature));
    },
    /** Sends bytes as they are. */
    sendRaw(bytes: Uint8Array): void {
      ws.send(bytes);
    },
    decodeEvent,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function sleepUntil(at: number): Promise<void> {
  return sleep(Math.max(0, at - Date.now()));
}
