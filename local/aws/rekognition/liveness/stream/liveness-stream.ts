/**
 * One StartFaceLivenessSession stream, independent of the transport (the WebSocket adapter feeds
 * it bytes and carries its bytes back):
 *
 * 1. the presigned URL's signature, the query (session id, video size, challenge versions) and
 *    the caller's permission to call rekognition:StartFaceLivenessSession are checked, the
 *    session is claimed (once: a second stream on it is refused) and its challenge is sent
 *    (ChallengeEvent, then ServerSessionInformationEvent with the oval and, for the light
 *    challenge, the colours);
 * 2. every envelope's signature is checked against the chain; ClientSessionInformationEvents are
 *    recorded, VideoEvents go to ffmpeg as they arrive, frames go to the face engine as ffmpeg
 *    sends them;
 * 3. an empty VideoChunk ends the video: the session is decided, its images stored, and the
 *    client gets a DisconnectionEvent before the server closes the socket.
 *
 * Anything else (a bad signature, a garbled frame, a video that does not decode, silence, a
 * disconnect before the end) gets Rekognition's error on the stream where one fits, and the
 * session is FAILED with the reason; ffmpeg, timers and frames are released on every path.
 */
import type { FrameAnalyzer } from '../../../../faces/types.ts';
import type { PresignedAuthentication } from '../../../sigv4/presigned-url.ts';
import { accessDeniedMessage, type SigningPrincipal } from '../../../sigv4/principal.ts';
import { chooseChallengeType, challengeFromPlan, NoCommonChallengeError, type SessionChallenge } from '../challenge.ts';
import { ovalRect } from '../geometry.ts';
import type { ClientReport } from '../decision/challenge-check.ts';
import { decide } from '../decision/decide.ts';
import { collectObservations, type Observations } from '../decision/observations.ts';
import type { EvidenceStore } from '../evidence.ts';
import type { LivenessSession, LivenessSessions } from '../sessions.ts';
import { startFrameDecoder, type FrameDecoder } from '../video-frames.ts';
import { chunkSignatureChain } from './chunk-signatures.ts';
import { readClientEvent } from './client-events.ts';
import { decodeEnvelope, decodeEvent, encodeError, encodeEvent, encodeException, ProtocolError } from './event-stream.ts';

/** What every stream shares: the sessions, the engine, where images go, the limits. */
export interface LivenessStreamService {
  sessions: LivenessSessions;
  analyzer: FrameAnalyzer;
  evidence: EvidenceStore;
  region: string;
  /** Checks the presigned URL (see sigv4/presigned-url.ts). */
  authenticate: (request: { method: string; url: string; headers: Record<string, string | string[] | undefined> }) => Promise<PresignedAuthentication>;
  limits: StreamLimits;
  ffmpeg?: string;
  /** Streams running now (shared counter, for the concurrency limit). */
  active: Set<unknown>;
  log: (line: string) => void;
}

/** The stream's limits. */
export interface StreamLimits {
  /** No message for this long fails the session. */
  idleMs: number;
  /** A stream lasts at most this long. */
  maxStreamMs: number;
  /** Rekognition's limit on the video: 10 MB. */
  maxVideoBytes: number;
  /** More streams at once are answered ThrottlingException. */
  maxConcurrent: number;
  /** Frames per second sampled from the video, and their largest width. */
  fps: number;
  maxWidth: number;
  /** Video past this many seconds is not decoded. */
  maxVideoSeconds: number;
}

/** The transport's side: send bytes, close the connection. */
export interface StreamTransport {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHALLENGE_VERSIONS = /^([a-zA-Z]{10,}_\d+\.\d+\.\d+)(,[a-zA-Z]{10,}_\d+\.\d+\.\d+)*$/;
const SIGNATURE_ERRORS: Record<string, string> = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  mismatch: 'InvalidSignatureException',
  stale: 'InvalidSignatureException',
  'expired-token': 'ExpiredTokenException',
};

/** Runs one stream: returns what the transport calls with incoming bytes and on close. */
export function openLivenessStream(service: LivenessStreamService, request: { method: string; url: string; headers: Record<string, string | string[] | undefined> }, transport: StreamTransport) {
  const { sessions, limits } = service;
  let session: LivenessSession | undefined;
  let challenge: SessionChallenge | undefined;
  let chain: ReturnType<typeof chunkSignatureChain> | undefined;
  let decoder: FrameDecoder | undefined;
  let observations: Observations | undefined;
  let principal: SigningPrincipal | undefined;
  const report: ClientReport = { colors: [] };
  let videoBytes = 0;
  let state: 'starting' | 'streaming' | 'deciding' | 'done' = 'starting';
  let queue: Promise<void> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  const token = {};
  const maxTimer = setTimeout(() => void fail('ValidationException', `The stream lasted longer than ${limits.maxStreamMs / 1000} s.`, 'the stream took too long'), limits.maxStreamMs);
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void fail('ValidationException', `No data was received for ${limits.idleMs / 1000} s.`, 'the client went silent'), limits.idleMs);
  };

  /** Ends the stream with an error on it (when there is a fit) and FAILS the session (when one was claimed). */
  async function fail(errorType: string | undefined, message: string, reason: string, kind: 'exception' | 'error' = 'exception'): Promise<void> {
    if (state === 'done') return;
    state = 'done';
    release();
    // The session is written before the client hears: whoever reads it after the close sees FAILED.
    if (session?.Status === 'IN_PROGRESS') {
      service.log(JSON.stringify({ level: 'info', msg: 'liveness session failed', sessionId: session.SessionId, reason }));
      await sessions.finish(session, { failure: reason }).catch(() => undefined);
    }
    if (errorType) transport.send(kind === 'exception' ? encodeException(errorType, message) : encodeError(errorType, message));
    transport.close(1000, reason);
  }

  function release(): void {
    clearTimeout(idle);
    clearTimeout(maxTimer);
    decoder?.stop('the stream ended');
    service.active.delete(token);
  }

  async function start(): Promise<void> {
    const auth = await service.authenticate(request);
    if (!auth.ok) return fail(SIGNATURE_ERRORS[auth.failure], auth.message, `authentication failed: ${auth.failure}`, 'error');
    principal = auth.principal;
    const query = new URL(request.url, 'http://local').searchParams;
    const sessionId = query.get('session-id') ?? '';
    const width = Number(query.get('video-width'));
    const height = Number(query.get('video-height'));
    const versions = query.get('challenge-versions') ?? '';
    if (!UUID.test(sessionId)) return fail('ValidationException', 'SessionId must be a 36-character UUID.', 'bad session id');
    if (![width, height].every((v) => Number.isInteger(v) && v >= 64 && v <= 4096)) return fail('ValidationException', 'VideoWidth and VideoHeight must be whole numbers of pixels (64-4096).', 'bad video size');
    if (versions.length < 15 || versions.length > 150 || !CHALLENGE_VERSIONS.test(versions)) return fail('ValidationException', 'ChallengeVersions must list Type_x.y.z entries, comma separated.', 'bad challenge versions');
    const decision = principal.decide('rekognition:StartFaceLivenessSession');
    if (decision !== 'allow') return fail('AccessDeniedException', accessDeniedMessage(principal, 'rekognition:StartFaceLivenessSession', decision), 'access denied', 'error');
    if (service.active.size >= limits.maxConcurrent) return fail('ThrottlingException', 'Too many Face Liveness streams at once; try again shortly.', 'throttled');

    const found = sessions.get(sessionId);
    if (!found || found.Status === 'EXPIRED') return fail('SessionNotFoundException', `Session not found: ${sessionId}`, 'session not found', 'error');
    let chosen;
    try {
      chosen = chooseChallengeType(versions, found.Settings.ChallengePreferences);
    } catch (error) {
      if (error instanceof NoCommonChallengeError) return fail('ValidationException', error.message, 'no common challenge');
      throw error;
    }
    const planned = challengeFromPlan(found.ChallengePlan, chosen.type, chosen.version, width, height);
    const claimed = sessions.claim(sessionId, planned, principal.arn);
    if ('refused' in claimed) {
      if (claimed.refused === 'used') return fail('ValidationException', `Session ${sessionId} has already been used; create a new session for every check.`, 'session already used');
      return fail('SessionNotFoundException', `Session not found: ${sessionId}`, 'session not found', 'error');
    }
    service.active.add(token);
    session = claimed.session;
    challenge = planned;
    chain = chunkSignatureChain(principal, { region: service.region, service: 'rekognition' }, auth.signature);
    await sessions.save(session);
    if (state === 'done') return;
    const server = serverChallenge(challenge);
    transport.send(encodeEvent('ChallengeEvent', { Type: challenge.Type, Version: challenge.Version }));
    transport.send(encodeEvent('ServerSessionInformationEvent', { SessionInformation: { Challenge: { [challenge.Type]: server } } }));
    state = 'streaming';
    resetIdle();
  }

  async function handle(bytes: Uint8Array): Promise<void> {
    if (state !== 'streaming') return;
    const envelope = decodeEnvelope(bytes);
    try {
      await chain!.verify(envelope);
    } catch (error) {
      return fail('InvalidSignatureException', `The event signature is not valid: ${(error as Error).message}.`, 'bad event signature', 'error');
    }
    if (envelope.payload.length === 0) {
      // The client ended its request stream; without the video's end marker, it gave up.
      if (report.videoEnd === undefined && !videoEnded) return fail(undefined, '', 'the client ended the stream before the video ended');
      return;
    }
    const event = decodeEvent(envelope.payload);
    if (event.type === 'ClientSessionInformationEvent') {
      const problem = readClientEvent(event.body, challenge!, report);
      if (problem) return fail('ValidationException', problem, 'bad client event');
      return;
    }
    const video = event.body as { VideoChunk?: unknown; TimestampMillis?: unknown };
    const chunk = typeof video?.VideoChunk === 'string' ? Buffer.from(video.VideoChunk, 'base64') : video?.VideoChunk === undefined ? Buffer.alloc(0) : undefined;
    if (!chunk) return fail('ValidationException', 'VideoChunk must be bytes.', 'bad video event');
    if (chunk.length === 0) return finishVideo();
    videoBytes += chunk.length;
    if (videoBytes > limits.maxVideoBytes) return fail('ValidationException', `The video is larger than ${limits.maxVideoBytes / 1_000_000} MB.`, 'video too large');
    if (!decoder) startDecoding();
    decoder!.write(chunk);
  }

  let videoEnded = false;
  function startDecoding(): void {
    observations = collectObservations(service.analyzer, { width: challenge!.VideoWidth, oval: ovalRect(challenge!.OvalParameters), ovalHeightWidthRatio: challenge!.ChallengeConfig.OvalHeightWidthRatio });
    decoder = startFrameDecoder({
      fps: limits.fps,
      maxWidth: limits.maxWidth,
      maxFrames: Math.round(limits.fps * limits.maxVideoSeconds),
      ffmpeg: service.ffmpeg,
      onFrame: (frame) => observations!.add(frame),
    });
  }

  async function finishVideo(): Promise<void> {
    videoEnded = true;
    state = 'deciding';
    clearTimeout(idle);
    if (!decoder) return fail('ValidationException', 'The stream ended without video.', 'no video');
    decoder.end();
    const outcome = await decoder.done;
    if (state !== 'deciding') return;
    if (outcome.frames === 0) return fail('ValidationException', `The video could not be decoded${outcome.error ? `: ${outcome.error}` : ''}.`, `the video could not be decoded${outcome.error ? `: ${outcome.error}` : ''}`);
    const started = performance.now();
    const decision = await decide({
      observations: observations!,
      analyzer: service.analyzer,
      challenge: challenge!,
      report,
      durationMs: (outcome.frames * 1000) / limits.fps,
      auditImagesLimit: session!.Settings.AuditImagesLimit,
      earlier: sessions.fingerprints(session!.SessionId),
    });
    if (state !== 'deciding') return;
    if (!decision.ok) return fail(undefined, '', decision.reason);
    const images = await service.evidence.store(session!, decision.reference, decision.audit);
    state = 'done';
    release();
    await sessions.finish(session!, {
      result: { Confidence: decision.confidence, ...images, Feedback: decision.feedback, Checks: { ...decision.checks, decideMs: Math.round(performance.now() - started), videoBytes } },
      fingerprint: decision.fingerprint,
    });
    service.log(JSON.stringify({ level: 'info', msg: 'liveness session decided', sessionId: session!.SessionId, confidence: decision.confidence, checks: decision.checks }));
    transport.send(encodeEvent('DisconnectionEvent', { TimestampMillis: Date.now() }));
    transport.close(1000, 'done');
  }

  const failOnError = (error: unknown) => {
    if (error instanceof ProtocolError) return fail('ValidationException', `The stream is not what the protocol says: ${error.message}.`, `protocol error: ${error.message}`);
    service.log(JSON.stringify({ level: 'error', msg: 'liveness stream failed', error: error instanceof Error ? error.message : String(error) }));
    return fail('InternalServerException', 'The local Rekognition failed on this stream.', `internal error: ${error instanceof Error ? error.message : String(error)}`);
  };
  queue = start().catch(failOnError);

  return {
    /** Bytes of one WebSocket message. */
    receive(bytes: Uint8Array): void {
      // Silence is the client's, not the server's: the clock restarts on arrival, not when processed.
      if (state === 'streaming') resetIdle();
      queue = queue.then(() => handle(bytes)).catch(failOnError);
    },
    /** The transport closed (the client went away, or we closed it). */
    closed(): void {
      queue = queue.then(() => {
        if (state === 'streaming' || state === 'starting') return fail(undefined, '', videoEnded ? 'the client disconnected' : 'the client disconnected before the video ended');
      });
    },
    /** Resolves when the stream is over and the session written. */
    get settled(): Promise<void> {
      return queue.then(() => undefined);
    },
  };
}

/** The challenge as ServerSessionInformationEvent carries it. */
function serverChallenge(challenge: SessionChallenge) {
  return {
    OvalParameters: challenge.OvalParameters,
    ChallengeConfig: challenge.ChallengeConfig,
    ...(challenge.ColorSequences ? { LightChallengeType: challenge.LightChallengeType, ColorSequences: challenge.ColorSequences } : {}),
  };
}
