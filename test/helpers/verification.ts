import { contentTypeOf } from './faces.ts';
import type { TestStack } from './stack.ts';

/** The fields a test reads back from every verification answer. */
export const VERIFICATION_FIELDS = 'id kind state reason attemptsLeft expiresAt createdAt token tokenExpiresAt uploads { purpose url headers expiresAt }';

export interface Upload {
  purpose: 'ID_DOCUMENT';
  url: string;
  headers: string;
}

/** What startLivenessCheck answers (the browser's part of the check then needs the liveness stand-in). */
export const LIVENESS_CHECK_FIELDS = 'sessionId region expiresAt credentials { accessKeyId secretAccessKey sessionToken expiration }';

/** PUTs bytes to a presigned URL exactly as a browser would (the signed headers, the body). */
export async function put(upload: Upload, bytes: Uint8Array, contentType?: string): Promise<Response> {
  const signed = JSON.parse(upload.headers) as Record<string, string>;
  // fetch sets Content-Length from the body, as a browser does; the type is ours to send.
  return fetch(upload.url, { method: 'PUT', headers: { 'Content-Type': contentType ?? signed['Content-Type'] }, body: bytes });
}

/** A GraphQL client for one stack with the API key: what a person without a token uses. */
export function onboardingClient(stack: TestStack) {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await stack.graphql(query, variables, { 'x-api-key': stack.apiKey });
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
