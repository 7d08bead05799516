import type { VerificationPolicy } from '../../api/verification-policy.ts';
import type { DocumentReader } from './documents/document-reader.ts';
import type { FaceMatcher } from './faces/face-matcher.ts';
import type { BrowserCredentialIssuer } from './liveness/browser-credentials.ts';
import type { LivenessService } from './liveness/liveness.ts';
import type { LocalSigningKey, RemoteSigner } from '../shared/tokens/sign.ts';
import type { RateLimiter } from './rate-limits.ts';

/** A message for one person (the mailer sends it; see functions/shared/mailer.ts). */
export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** Everything a verification operation needs, built once per container from the environment. */
export interface VerificationContext {
  tables: { sessions: string; users: string; invitations: string; audit: string; livenessReferences: string; boardMembers: string };
  bucket: string;
  /** The region the browser streams its liveness video to (the function's own). */
  region: string;
  policy: VerificationPolicy;
  adminEmails: readonly string[];
  token: { issuer: string; audience: string; lifetimeSeconds: number };
  matcher: FaceMatcher;
  liveness: LivenessService;
  browserCredentials: BrowserCredentialIssuer;
  /** Reads the ID photo (Textract AnalyzeID, or the offline stand-in behind the same API). */
  documents: DocumentReader;
  limiter: RateLimiter;
  signer: () => Promise<LocalSigningKey | RemoteSigner>;
  sendEmail: (email: Email) => Promise<unknown>;
  now: () => Date;
}

/** Who is asking, as the resolver passed it. */
export interface Requester {
  /** Set for signed-in callers (Lambda auth); null for people with only the API key. */
  caller: { userId: string; email: string; role: string } | null;
  sourceIp: string | null;
}
