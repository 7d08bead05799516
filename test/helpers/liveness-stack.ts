/**
 * The Face Liveness stand-in with what it talks to, for tests and the benchmark: the face engine,
 * a local S3 with an output bucket, the local STS with the liveness streaming role, and the
 * Rekognition stand-in (JSON on http://, streaming on wss:// with a certificate made for the run
 * and trusted by this process), all in a temporary folder.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateFaceLivenessSessionCommand, GetFaceLivenessSessionResultsCommand, RekognitionClient, type CreateFaceLivenessSessionCommandInput, type GetFaceLivenessSessionResultsCommandOutput } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createFaceEngine, type PooledFaceEngine } from '../../local/faces/engine.ts';
import { startLocalRekognition, type LivenessOptions, type LocalRekognition } from '../../local/aws/rekognition/rekognition.ts';
import type { LivenessSession } from '../../local/aws/rekognition/liveness/sessions.ts';
import type { ChallengeType, SessionChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import { startLocalS3 } from '../../local/aws/s3/s3.ts';
import { authenticateSignedRequest, type PrincipalLookup, type SigningPrincipal } from '../../local/aws/sigv4/principal.ts';
import { startLocalSts, type LocalSts } from '../../local/aws/sts/sts.ts';
import { livenessBrowserRole } from '../../local/stack/services.ts';
import { localCertificate } from '../../local/tls.ts';
import { trustCertificate, type Keys } from './liveness-client.ts';
import { plannedChallenge, sessionFile } from './liveness-plan.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const OUTPUT_BUCKET = 'liveness-output';
/** The browser's liveness role, as the local stack names it. */
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/securetask-local-liveness-browser`;
/** A session policy allowing the streaming call and nothing else. */
export const STREAMING_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rekognition:StartFaceLivenessSession', Resource: '*' }] });

/** Options of {@link startLivenessStack}. */
export interface LivenessStackOptions {
  /** Reuse an engine (the benchmark keeps one). */
  engine?: PooledFaceEngine;
  liveness?: Partial<Pick<LivenessOptions, 'limits' | 'unusedLifetimeMs' | 'ffmpeg'>>;
  /** Replaces who holds which keys (tests of expired credentials). */
  principals?: (base: PrincipalLookup) => PrincipalLookup;
}

let sharedCertificate: ReturnType<typeof localCertificate> | undefined;

/**
 * One certificate for every stack of this process, trusted once: certificates made apart share
 * their subject (localhost), and TLS clients that trust several such look up the issuer by
 * subject and may check a server's against the wrong one.
 */
function processCertificate(): ReturnType<typeof localCertificate> {
  sharedCertificate ??= mkdtemp(path.join(tmpdir(), 'liveness-tls-')).then(async (dir) => {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const certificate = await localCertificate(dir);
    trustCertificate(certificate.cert);
    return certificate;
  });
  return sharedCertificate;
}

/** Starts the stand-in and its neighbours; `stop()` takes all of it down and deletes the folder. */
export async function startLivenessStack(options: LivenessStackOptions = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'liveness-'));
  const keys: Keys = { accessKeyId: 'AKIALIVENESSTEST', secretAccessKey: 'liveness-test-secret' };
  const user: SigningPrincipal = { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, arn: `arn:aws:iam::${ACCOUNT}:user/local`, decide: () => 'allow' };
  let sts: LocalSts | undefined;
  const base: PrincipalLookup = (id) => (id === keys.accessKeyId ? user : sts?.principal(id));
  const principals = options.principals ? options.principals(base) : base;
  const engine = options.engine ?? (await createFaceEngine());
  const certificate = await processCertificate();
  const s3 = await startLocalS3({ dataDir: path.join(dir, 's3'), region: REGION, credentials: (id) => (id === keys.accessKeyId ? keys : undefined), buckets: [OUTPUT_BUCKET], allowedOrigins: [] });
  sts = await startLocalSts({ dataDir: path.join(dir, 'sts'), roles: [livenessBrowserRole(ROLE_ARN)], authenticate: (req, body) => authenticateSignedRequest(req, body, principals, { region: REGION, service: 'sts' }) });
  const rekognition: LocalRekognition = await startLocalRekognition({
    engine,
    authenticate: (req, body) => authenticateSignedRequest(req, body, principals, { region: REGION, service: 'rekognition' }),
    tls: certificate,
    // LIVENESS_LOG=1 prints the stand-in's structured lines (why a session failed).
    log: process.env.LIVENESS_LOG ? (line) => process.stderr.write(`${line}\n`) : undefined,
    liveness: {
      dataDir: path.join(dir, 'rekognition'),
      region: REGION,
      analyzer: engine,
      principals,
      output: { endpoint: s3.endpoint, region: REGION, credentials: keys },
      ...options.liveness,
    },
  });
  const client = new RekognitionClient({ endpoint: rekognition.endpoint, region: REGION, credentials: keys, maxAttempts: 1 });
  const s3Client = new S3Client({ endpoint: s3.endpoint, region: REGION, credentials: keys, forcePathStyle: true });
  const stsClient = new STSClient({ endpoint: sts.endpoint, region: REGION, credentials: keys, maxAttempts: 1 });

  return {
    dir,
    keys,
    engine,
    /** `https://…`: the streaming client opens wss:// there. */
    streamingEndpoint: rekognition.endpoint.replace('http://', 'https://'),
    /** `ws://…`, for the protocol by hand. */
    webSocketEndpoint: rekognition.endpoint.replace('http://', 'ws://'),
    endpoint: rekognition.endpoint,
    client,
    s3: s3Client,

    /** A session; by default one that asks for the movement challenge, which most tests film (Rekognition's own default is the light challenge). */
    async createSession(input: CreateFaceLivenessSessionCommandInput = { Settings: { OutputConfig: { S3Bucket: OUTPUT_BUCKET, S3KeyPrefix: 'liveness/' }, AuditImagesLimit: 2, ChallengePreferences: [{ Type: 'FaceMovementChallenge' }] } }): Promise<string> {
      return (await client.send(new CreateFaceLivenessSessionCommand(input))).SessionId!;
    },

    /** The session's results once it is decided (the stream may still be closing when the client returns). */
    async results(sessionId: string): Promise<GetFaceLivenessSessionResultsCommandOutput> {
      for (let i = 0; ; i++) {
        const out = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
        if (out.Status !== 'IN_PROGRESS' || i >= 100) return out;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    /** The session file: the documented test hook. */
    sessionFile: (sessionId: string): Promise<LivenessSession> => sessionFile(dir, sessionId),

    /**
     * The challenge a session will get for a 640 x 480 video, read from its file before any stream
     * (the test hook a browser scenario uses to film a clip that follows it).
     */
    plannedChallenge: (sessionId: string, type: ChallengeType = 'FaceMovementChallenge'): Promise<SessionChallenge> => plannedChallenge(dir, sessionId, type),

    /** Credentials as the verification function vends them: the streaming role, narrowed by `policy`. */
    async browserCredentials(policy = STREAMING_ONLY, durationSeconds = 900): Promise<Keys> {
      const out = await stsClient.send(new AssumeRoleCommand({ RoleArn: livenessBrowserRole(ROLE_ARN).arn, RoleSessionName: 'browser', DurationSeconds: durationSeconds, Policy: policy }));
      return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    },

    async object(bucket: string, key: string): Promise<Buffer> {
      const out = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },

    async stop(): Promise<void> {
      client.destroy();
      s3Client.destroy();
      stsClient.destroy();
      await rekognition.stop();
      await sts?.stop();
      await s3.stop();
      if (!options.engine) await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The stack {@link startLivenessStack} starts. */
export type LivenessStack = Awaited<ReturnType<typeof startLivenessStack>>;
