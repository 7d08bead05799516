/**
 * Face Liveness sessions, one JSON file each: `<dir>/<SessionId>.json`, written atomically
 * (temporary file, fsync, rename), so a restart keeps every session and a reader never sees half
 * a file. The file is also a documented test hook: a browser test reads a session's `Challenge`
 * (the oval, the colours) from it to film a video that follows it (see ../README.md).
 *
 * A session is CREATED by CreateFaceLivenessSession, IN_PROGRESS once a stream claims it (once:
 * a second stream is refused), then SUCCEEDED (decided, with a confidence) or FAILED (the stream
 * broke or the video could not be judged). A CREATED session nobody streams within three minutes
 * is EXPIRED, as Rekognition's are; decided sessions are kept for `retentionMs`, then deleted.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../../atomic-file.ts';
import { planChallenge, type ChallengePlan, type ChallengePreference, type SessionChallenge } from './challenge.ts';
import type { Fingerprint } from './decision/replay-check.ts';

export type LivenessStatus = 'CREATED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';

/** A face's box as ratios of the image, as Rekognition returns it. */
export interface BoundingBox {
  Width: number;
  Height: number;
  Left: number;
  Top: number;
}

/** A reference or audit image as GetFaceLivenessSessionResults returns it (Bytes base64 in JSON). */
export interface StoredImage {
  BoundingBox: BoundingBox;
  S3Object?: { Bucket: string; Name: string; Version?: string };
  /** Base64 JPEG, when the session has no OutputConfig. */
  Bytes?: string;
}

/** What the check found; Confidence 0-100 as Rekognition's. */
export interface LivenessResult {
  Confidence: number;
  ReferenceImage?: StoredImage;
  AuditImages: StoredImage[];
  Feedback: { Code: string; Message: string }[];
  /** How each check scored, for people reading the file (never returned by the API). */
  Checks: Record<string, unknown>;
}

/** One session, as stored. */
export interface LivenessSession {
  SessionId: string;
  CreatedAt: string;
  ClientRequestToken?: string;
  KmsKeyId?: string;
  Settings: {
    OutputConfig?: { S3Bucket: string; S3KeyPrefix?: string };
    AuditImagesLimit: number;
    ChallengePreferences?: ChallengePreference[];
  };
  Status: LivenessStatus;
  /** The oval's and colours' random draws, made at creation (see challenge.ts). */
  ChallengePlan: ChallengePlan;
  /** Set when a stream claims the session: the plan applied to the client's video size and challenge type. */
  Challenge?: SessionChallenge;
  StreamStartedAt?: string;
  /** Who streamed (the signing principal's ARN). */
  StreamedBy?: string;
  Result?: LivenessResult;
  /** Why the session FAILED. */
  FailureReason?: string;
  /** The video's frames, hashed, to recognise it if it is sent again (see decision/replay-check.ts). */
  Fingerprint?: Fingerprint;
  DecidedAt?: string;
}

/** Options of {@link openLivenessSessions}. */
export interface LivenessSessionStoreOptions {
  /** `<data>/rekognition/liveness`. */
  dir: string;
  /** A CREATED session expires after this long without a stream; Rekognition's 3 minutes by default. */
  unusedLifetimeMs?: number;
  /** Sessions are deleted this long after creation; 24 hours by default. */
  retentionMs?: number;
  now?: () => number;
}

const UNUSED_LIFETIME_MS = 3 * 60_000;
const RETENTION_MS = 24 * 3_600_000;
const SESSION_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/;

/** The session store: loaded from `dir` at start; a stream that was running when the last process stopped is FAILED. */
export async function openLivenessSessions(options: LivenessSessionStoreOptions) {
  const now = options.now ?? Date.now;
  const unusedLifetime = options.unusedLifetimeMs ?? UNUSED_LIFETIME_MS;
  const retention = options.retentionMs ?? RETENTION_MS;
  const sessions = new Map<string, LivenessSession>();
  const byToken = new Map<string, string>();
  const writes = new Map<string, Promise<void>>();
  const file = (id: string) => path.join(options.dir, `${id}.json`);

  const persist = (session: LivenessSession): Promise<void> => {
    const snapshot = JSON.stringify(session, null, 2);
    // Writes of one session are serialized, so the last state is the one on disk.
    const write = (writes.get(session.SessionId) ?? Promise.resolve()).catch(() => undefined).then(() => writeAtomically(file(session.SessionId), snapshot));
    writes.set(session.SessionId, write);
    return write;
  };

  const names = await readdir(options.dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => SESSION_FILE.test(n))) {
    const session = await readFile(path.join(options.dir, name), 'utf8').then((text) => JSON.parse(text) as LivenessSession, () => undefined);
    if (!session) continue;
    sessions.set(session.SessionId, session);
    if (session.ClientRequestToken) byToken.set(session.ClientRequestToken, session.SessionId);
    if (session.Status === 'IN_PROGRESS') {
      Object.assign(session, { Status: 'FAILED', FailureReason: 'The stream was interrupted: the service stopped while it ran.', DecidedAt: new Date(now()).toISOString() });
      await persist(session);
    }
  }

  /** Applies the clock: an unused session past its lifetime is EXPIRED. */
  const current = (session: LivenessSession): LivenessSession => {
    if (session.Status === 'CREATED' && now() - Date.parse(session.CreatedAt) > unusedLifetime) {
      session.Status = 'EXPIRED';
      void persist(session).catch(() => undefined);
    }
    return session;
  };

  return {
    /** A new session, or the one an earlier call with the same ClientRequestToken made. */
    async create(settings: LivenessSession['Settings'], extra: { ClientRequestToken?: string; KmsKeyId?: string }): Promise<LivenessSession> {
      const existing = extra.ClientRequestToken ? byToken.get(extra.ClientRequestToken) : undefined;
      if (existing && sessions.has(existing)) return sessions.get(existing)!;
      const session: LivenessSession = {
        SessionId: randomUUID(),
        CreatedAt: new Date(now()).toISOString(),
        ...(extra.ClientRequestToken ? { ClientRequestToken: extra.ClientRequestToken } : {}),
        ...(extra.KmsKeyId ? { KmsKeyId: extra.KmsKeyId } : {}),
        Settings: settings,
        Status: 'CREATED',
        ChallengePlan: planChallenge(),
      };
      sessions.set(session.SessionId, session);
      if (extra.ClientRequestToken) byToken.set(extra.ClientRequestToken, session.SessionId);
      await persist(session);
      return session;
    },

    /** The session as it stands now, or undefined when there is none (never made, or deleted after its retention). */
    get(id: string): LivenessSession | undefined {
      const session = sessions.get(id);
      return session && current(session);
    },

    /**
     * Claims a CREATED session for a stream, at once (in memory, before any await), so two streams
     * racing for one session cannot both have it. Returns the reason when it cannot be claimed.
     */
    claim(id: string, challenge: SessionChallenge, streamedBy: string): { session: LivenessSession } | { refused: 'not-found' | 'expired' | 'used' } {
      const session = sessions.get(id);
      if (!session) return { refused: 'not-found' };
      const status = current(session).Status;
      if (status === 'EXPIRED') return { refused: 'expired' };
      if (status !== 'CREATED') return { refused: 'used' };
      Object.assign(session, { Status: 'IN_PROGRESS', Challenge: challenge, StreamStartedAt: new Date(now()).toISOString(), StreamedBy: streamedBy });
      return { session };
    },

    /** The fingerprints of every decided session still kept, but `exceptId`'s. */
    fingerprints(exceptId: string): { sessionId: string; fingerprint: Fingerprint }[] {
      return [...sessions.values()].filter((x) => x.SessionId !== exceptId && x.Fingerprint).map((x) => ({ sessionId: x.SessionId, fingerprint: x.Fingerprint! }));
    },

    /** Writes the session's current state. */
    save: persist,

    /** Ends a session: SUCCEEDED with its result, or FAILED with the reason. */
    async finish(session: LivenessSession, outcome: { result: LivenessResult; fingerprint: Fingerprint } | { failure: string }): Promise<void> {
      const ended: LivenessSession =
        'result' in outcome
          ? { ...session, Status: 'SUCCEEDED', Result: outcome.result, Fingerprint: outcome.fingerprint }
          : { ...session, Status: 'FAILED', FailureReason: outcome.failure };
      ended.DecidedAt = new Date(now()).toISOString();
      // On disk first: the API never answers a state the file does not hold yet.
      await persist(ended);
      Object.assign(session, ended);
    },

    /** Deletes sessions past their retention (and their files). */
    async sweep(): Promise<void> {
      for (const [id, session] of sessions) {
        current(session);
        if (now() - Date.parse(session.CreatedAt) <= retention || session.Status === 'IN_PROGRESS') continue;
        sessions.delete(id);
        if (session.ClientRequestToken) byToken.delete(session.ClientRequestToken);
        await (writes.get(id) ?? Promise.resolve()).catch(() => undefined);
        writes.delete(id);
        await rm(file(id), { force: true });
      }
    },

    /** Resolves when every write so far is on disk. */
    async flushed(): Promise<void> {
      await Promise.all([...writes.values()].map((w) => w.catch(() => undefined)));
    },
  };
}

/** The store {@link openLivenessSessions} opens. */
export type LivenessSessions = Awaited<ReturnType<typeof openLivenessSessions>>;
