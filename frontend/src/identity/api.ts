/**
 * The verification calls (docs/verification.md), typed and with the API key: people verifying or
 * signing in have no token yet, and a renewal must not depend on the token that is running out.
 * Nothing here goes into Apollo's cache: answers carry upload URLs and session tokens, which have
 * no business outliving the call that made them.
 */
import type { ApolloClient } from '@apollo/client';
import {
  CancelVerificationDocument,
  RequestUploadDocument,
  StartFaceLoginDocument,
  StartLivenessCheckDocument,
  StartVerificationDocument,
  SubmitVerificationDocument,
  VerificationDocument,
  type PresignedUploadFieldsFragment,
  type StartLivenessCheckMutation,
  type StartVerificationInput,
  type VerificationFieldsFragment,
} from '../generated/graphql.ts';

/** A verification session as its holder sees it. */
export type Verification = VerificationFieldsFragment;
/** A presigned PUT for one image. */
export type PresignedUpload = PresignedUploadFieldsFragment;
/** The images a person uploads: the ID photo alone (the live face comes from a liveness check, docs/verification.md). */
export type UploadPurpose = 'ID_DOCUMENT';
/** One liveness check: the Face Liveness session, its region, and credentials that may only stream to it. */
export type LivenessCheck = StartLivenessCheckMutation['startLivenessCheck'];

/** A session answered with its upload URLs. */
export interface StartedVerification {
  verification: Verification;
  uploads: PresignedUpload[];
}

/** A session after submitVerification: VERIFIED answers carry the token (only this answer does). */
export interface SubmittedVerification {
  verification: Verification;
  token: string | null;
}

const options = { context: { auth: 'apiKey' as const }, fetchPolicy: 'no-cache' as const };

function split({ uploads, ...verification }: Verification & { uploads: PresignedUpload[] }): StartedVerification {
  return { verification, uploads };
}

/** Opens an onboarding session: one upload URL, for the ID photo. */
export async function startVerification(client: ApolloClient, input: StartVerificationInput): Promise<StartedVerification> {
  const { data } = await client.mutate({ mutation: StartVerificationDocument, variables: { input }, ...options });
  return split(data!.startVerification);
}

/** Opens a face sign-in session: no upload, the face comes from a liveness check. */
export async function startFaceLogin(client: ApolloClient, email: string): Promise<StartedVerification> {
  const { data } = await client.mutate({ mutation: StartFaceLoginDocument, variables: { input: { email } }, ...options });
  return split(data!.startFaceLogin);
}

/** A fresh upload URL for one image of an unfinished session (a retake, or a lapsed URL). */
export async function requestUpload(
  client: ApolloClient,
  id: string,
  purpose: UploadPurpose,
  image: { contentType: string; size: number },
): Promise<PresignedUpload> {
  const { data } = await client.mutate({ mutation: RequestUploadDocument, variables: { id, purpose, image }, ...options });
  return data!.requestUpload;
}

/** A new liveness check for a session waiting for one; any earlier check of the session is void. */
export async function startLivenessCheck(client: ApolloClient, id: string): Promise<LivenessCheck> {
  const { data } = await client.mutate({ mutation: StartLivenessCheckDocument, variables: { id }, ...options });
  return data!.startLivenessCheck;
}

/** Compares the faces and decides. */
export async function submitVerification(client: ApolloClient, id: string): Promise<SubmittedVerification> {
  const { data } = await client.mutate({ mutation: SubmitVerificationDocument, variables: { id }, ...options });
  const { token, tokenExpiresAt: _expiresAt, ...verification } = data!.submitVerification;
  return { verification, token };
}

/** Ends an unfinished session; the server deletes its images. */
export async function cancelVerification(client: ApolloClient, id: string): Promise<Verification> {
  const { data } = await client.mutate({ mutation: CancelVerificationDocument, variables: { id }, ...options });
  return data!.cancelVerification;
}

/** The session as it stands now; null when there is no such session. */
export async function fetchVerification(client: ApolloClient, id: string): Promise<Verification | null> {
  const { data } = await client.query({ query: VerificationDocument, variables: { id }, ...options });
  return data?.verification ?? null;
}
