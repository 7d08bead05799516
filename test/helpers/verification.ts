import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { contentTypeOf } from './faces.ts';
import { runLivenessStream, trustCertificate, type StreamRun } from './liveness-client.ts';
import { makeLivenessClip, sourceImage, type ClipOptions, type SourceImage } from './liveness-video.ts';
import { plannedChallenge, standInConfirmed } from './liveness-plan.ts';
import type { TestStack } from './stack.ts';

/** The fields a test reads back from every verification answer. */
export const VERIFICATION_FIELDS = 'id kind state reason attemptsLeft expiresAt createdAt token tokenExpiresAt uploads { purpose url headers expiresAt }';

export interface Upload {
  purpose: 'ID_DOCUMENT';
  url: string;
  headers: string;
}

/** What startLivenessCheck answers: what the browser's liveness component needs. */
export const LIVENESS_CHECK_FIELDS = 'sessionId region expiresAt credentials { accessKeyId secretAccessKey sessionToken expiration }';

/** PUTs bytes to a presigned URL exactly as a browser would (the signed headers, the body). */
export async function put(upload: Upload, bytes: Uint8Array, contentType?: string): Promise<Response> {
  const signed = JSON.parse(upload.headers) as Record<string, string>;
  // fetch sets Content-Length from the body, as a browser does; the type is ours to send.
  return fetch(upload.url, { method: 'PUT', headers: { 'Content-Type': contentType ?? signed['Content-Type'] }, body: bytes });
}

/**
 * Who is in front of the camera during a liveness check, and how: a genuine person by default
 * (a shared face image filmed moving into the session's oval by test/helpers/liveness-video.ts),
 * or any presentation attack the clip maker films (`still-photo`, `id-card`, `two-faces`, ...).
 */
export type Presentation = Omit<ClipOptions, 'challenge' | 'seed'> & { seed?: number };

/** A shared face image (a path under ../shared/faces) ready to be filmed, its face found by the stack's own face engine. */
export function personOf(stack: TestStack, file: string): Promise<SourceImage> {
  return sourceImage(stack.services.faces, file);
}

/** Where a local stack's liveness stand-in is, as its runtime info says. */
export interface LivenessTarget {
  dataDir: string;
  certificateFile: string;
  awsEndpoints: Record<string, string>;
}

/** What startLivenessCheck answers. */
export interface LivenessCheck {
  sessionId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
}

const trusted = new Map<string, Promise<void>>();

/**
 * Every check of a run films a clip of its own: a person never moves the same way twice, and two
 * clips made with one seed from one photo are one recording, which the stand-in rightly refuses as
 * a replay. The base is printed so that a run can be repeated (LIVENESS_SEED).
 */
let nextSeed = Number(process.env.LIVENESS_SEED ?? randomInt(1, 2 ** 30));
const seedsOfRun = nextSeed;

/**
 * The browser's part of a liveness check: the real streaming client, on wss:// to the stand-in,
 * with the credentials the API vended. The clip follows the session's own challenge, read from
 * the stand-in's session file (its test hook) and filmed before the stream opens: filming takes
 * longer on a loaded machine than the stream waits for data, which a person already in front of
 * the camera would not make it wait.
 */
export async function runLivenessCheck(target: LivenessTarget, check: LivenessCheck, presentation: Presentation): Promise<StreamRun> {
  // Node's WebSocket trusts the stack's certificate, as a browser trusts the local one once.
  if (!trusted.has(target.certificateFile)) trusted.set(target.certificateFile, readFile(target.certificateFile, 'utf8').then(trustCertificate));
  await trusted.get(target.certificateFile);
  const seed = presentation.seed ?? nextSeed++;
  const clip = await makeLivenessClip({ ...presentation, seed, challenge: await plannedChallenge(target.dataDir, check.sessionId) });
  // As the web app hands them to the component: the expiry a Date (the API answers it as a string).
  const credentials = { ...check.credentials, expiration: new Date(check.credentials.expiration) };
  const run = await runLivenessStream({
    endpoint: target.awsEndpoints.rekognition!.replace(/^http:/, 'https:'),
    region: check.region,
    credentials,
    sessionId: check.sessionId,
    clip,
  });
  if (run.error && !run.received.includes('DisconnectionEvent')) throw new Error(`the liveness stream failed (clip seed ${seed}, LIVENESS_SEED=${seedsOfRun}): ${run.error.name}: ${run.error.message}`);
  return run;
}

/** A GraphQL client for one stack with the API key: what a person without a token uses (`headers` go with every request). */
export function onboardingClient(stack: TestStack, headers: Record<string, string> = {}) {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await stack.graphql(query, variables, { 'x-api-key': stack.apiKey, ...headers });
    return body as { data?: Record<string, any>; errors?: { errorType: string; message: string; data?: any }[] };
  };
  return {
    call,
    async start(input: { email: string; name?: string; consent?: boolean; idDocument: Uint8Array }) {
      return call(`mutation ($input: StartVerificationInput!) { startVerification(input: $input) { ${VERIFICATION_FIELDS} } }`, {
        input: {
          email: input.email,
          name: input.name ?? 'Test Person',
          consent: input.consent ?? true,
          idDocument: { contentType: contentTypeOf(input.idDocument), size: input.idDocument.length },
        },
      });
    },
    async startFaceLogin(email: string) {
      return call(`mutation ($input: StartFaceLoginInput!) { startFaceLogin(input: $input) { ${VERIFICATION_FIELDS} } }`, { input: { email } });
    },
    async startLivenessCheck(id: string) {
      return call(`mutation ($id: ID!) { startLivenessCheck(id: $id) { ${LIVENESS_CHECK_FIELDS} } }`, { id });
    },
    async submit(id: string) {
      return call(`mutation ($id: ID!) { submitVerification(id: $id) { ${VERIFICATION_FIELDS} } }`, { id });
    },
    async get(id: string) {
      return call(`query ($id: ID!) { verification(id: $id) { ${VERIFICATION_FIELDS} } }`, { id });
    },
    async cancel(id: string) {
      return call(`mutation ($id: ID!) { cancelVerification(id: $id) { ${VERIFICATION_FIELDS} } }`, { id });
    },
    async requestUpload(id: string, bytes: Uint8Array) {
      return call(`mutation ($id: ID!, $image: ImageUploadInput!) { requestUpload(id: $id, purpose: ID_DOCUMENT, image: $image) { purpose url headers expiresAt } }`, {
        id,
        image: { contentType: contentTypeOf(bytes), size: bytes.length },
      });
    },
    /** Starts a liveness check for the session and runs it as the browser would, with `presentation` in front of the camera. */
    async liveness(id: string, presentation: Presentation) {
      const started = await this.startLivenessCheck(id);
      if (started.errors) return started;
      const run = await runLivenessCheck(stack, started.data!.startLivenessCheck, presentation);
      return { ...started, run };
    },
    /**
     * A liveness check, then a submit: one attempt as the web app makes it. A genuine person
     * whom the offline check did not confirm (its BPCER, `npm run bench:liveness`) starts a new
     * check before submitting, as the page offers (a check costs no attempt; at most two more),
     * and it is said: the tests that use this are about what follows the liveness check.
     */
    async attempt(id: string, presentation: Presentation) {
      let checked = await this.liveness(id, presentation);
      for (let retry = 0; retry < 2 && presentation.kind === 'genuine' && 'run' in checked && !(await standInConfirmed(stack.dataDir, checked.data!.startLivenessCheck.sessionId)); retry++) {
        console.warn(`the offline liveness check did not confirm a genuine clip (session ${checked.data!.startLivenessCheck.sessionId}); filming a new check`);
        checked = await this.liveness(id, presentation);
      }
      if (checked.errors) return checked;
      return this.submit(id);
    },
    /** The whole onboarding as the web app runs it: start, the ID photo, a liveness check, submit. */
    async verify(input: { email: string; name?: string; idDocument: Uint8Array; person: Presentation }) {
      const started = await this.startWithId(input);
      if (started.errors) return started;
      return this.attempt(started.data!.startVerification.id, input.person);
    },
    /** A whole face sign-in: start, a liveness check, submit. */
    async faceLogin(email: string, person: Presentation) {
      const started = await this.startFaceLogin(email);
      if (started.errors) return started;
      return this.attempt(started.data!.startFaceLogin.id, person);
    },
    /** Starts onboarding and uploads the ID photo: the session then waits for a liveness check. */
    async startWithId(input: { email: string; name?: string; idDocument: Uint8Array }) {
      const started = await this.start(input);
      if (started.errors) return started;
      const session = started.data!.startVerification;
      const response = await put(session.uploads[0] as Upload, input.idDocument);
      if (!response.ok) throw new Error(`upload of the ID photo failed: ${response.status} ${await response.text()}`);
      return started;
    },
  };
}
