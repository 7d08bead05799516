import { contentTypeOf } from './faces.ts';
import type { TestStack } from './stack.ts';

/** The fields a test reads back from every verification answer. */
export const VERIFICATION_FIELDS = 'id kind state reason attemptsLeft expiresAt createdAt token tokenExpiresAt uploads { purpose url headers expiresAt }';

export interface Upload {
  purpose: 'ID_DOCUMENT' | 'SELFIE';
  url: string;
  headers: string;
}

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
    async start(input: { email: string; name?: string; consent?: boolean; idDocument: Uint8Array; selfie: Uint8Array }) {
      return call(`mutation ($input: StartVerificationInput!) { startVerification(input: $input) { ${VERIFICATION_FIELDS} } }`, {
        input: {
          email: input.email,
          name: input.name ?? 'Test Person',
          consent: input.consent ?? true,
          idDocument: { contentType: contentTypeOf(input.idDocument), size: input.idDocument.length },
          selfie: { contentType: contentTypeOf(input.selfie), size: input.selfie.length },
        },
      });
    },
    async startFaceLogin(email: string, selfie: Uint8Array) {
      return call(`mutation ($input: StartFaceLoginInput!) { startFaceLogin(input: $input) { ${VERIFICATION_FIELDS} } }`, {
        input: { email, selfie: { contentType: contentTypeOf(selfie), size: selfie.length } },
      });
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
    async requestUpload(id: string, purpose: Upload['purpose'], bytes: Uint8Array) {
      return call(`mutation ($id: ID!, $purpose: UploadPurpose!, $image: ImageUploadInput!) { requestUpload(id: $id, purpose: $purpose, image: $image) { purpose url headers expiresAt } }`, {
        id,
        purpose,
        image: { contentType: contentTypeOf(bytes), size: bytes.length },
      });
    },
    /** Starts, uploads both images, submits: the whole onboarding as the web app runs it. */
    async verify(input: { email: string; name?: string; idDocument: Uint8Array; selfie: Uint8Array }) {
      const started = await this.start(input);
      if (started.errors) return started;
      const session = started.data!.startVerification;
      for (const upload of session.uploads as Upload[]) {
        const response = await put(upload, upload.purpose === 'SELFIE' ? input.selfie : input.idDocument);
        if (!response.ok) throw new Error(`upload ${upload.purpose} failed: ${response.status} ${await response.text()}`);
      }
      return this.submit(session.id);
    },
    /** Starts a face sign-in, uploads the selfie, submits. */
    async faceLogin(email: string, selfie: Uint8Array) {
      const started = await this.startFaceLogin(email, selfie);
      if (started.errors) return started;
      const session = started.data!.startFaceLogin;
      const response = await put(session.uploads[0], selfie);
      if (!response.ok) throw new Error(`upload failed: ${response.status}`);
      return this.submit(session.id);
    },
  };
}
