/**
 * The document step of an onboarding submission: read the ID photo, run the policy's checks,
 * and say what the decision must know (the verdict), what the audit log gets (each check's
 * outcome, never a value read) and what a reviewer will see (the fields, on the session).
 */
import type { SessionRecord } from '../sessions.ts';
import type { VerificationContext } from '../context.ts';
import { VerificationError } from '../errors.ts';
import { checkDocument, DOCUMENT_CHECKS, type DocumentVerdict } from './checks.ts';
import { DocumentReadError, type DocumentAnalysis } from './document-reader.ts';

/** The step's outcome: the verdict, and the reading kept for a reviewer. */
export interface DocumentAssessment {
  verdict: DocumentVerdict;
  reading: NonNullable<SessionRecord['document']>;
}

/**
 * Reads and checks the ID photo of an onboarding session; undefined when the policy checks no
 * documents (or the session is a face sign-in, which has none). A reader that is busy or down is
 * a `ServiceUnavailable` refusal that costs no attempt, as for face matching; a photo the reader
 * cannot make out is UNREADABLE, which the decision sends to a reviewer when the faces match.
 */
export async function assessDocument(context: VerificationContext, session: SessionRecord, image: Uint8Array | undefined): Promise<DocumentAssessment | undefined> {
  if (!context.policy.documentChecks || session.kind !== 'ONBOARDING' || !image) return undefined;
  let analysis: DocumentAnalysis;
  try {
    analysis = await context.documents.analyze(image);
  } catch (error) {
    if (!(error instanceof DocumentReadError)) throw error;
    if (error.code === 'THROTTLED' || error.code === 'UNAVAILABLE' || error.code === 'ACCESS_DENIED') {
      throw new VerificationError('ServiceUnavailable', 'Reading the ID is busy or unavailable: try again in a moment. No attempt was counted.', { reason: error.code });
    }
    const checks = DOCUMENT_CHECKS.map((check) => ({ check, outcome: 'UNREADABLE' as const }));
    return { verdict: { outcome: 'UNREADABLE', checks }, reading: { fields: {}, mrz: [], checks } };
  }
  const verdict = checkDocument(analysis, {
    enteredName: session.name ?? '',
    now: context.now(),
    minimumAge: context.policy.minimumAge,
    minimumConfidence: context.policy.documentConfidence,
  });
  return { verdict, reading: { fields: analysis.fields, mrz: analysis.mrz, checks: verdict.checks } };
}

/** The audit's view of the step: the verdict and each check's outcome, no value read. */
export function auditedDocument(assessment: DocumentAssessment | undefined): Record<string, unknown> | undefined {
  if (!assessment) return undefined;
  return { outcome: assessment.verdict.outcome, checks: Object.fromEntries(assessment.verdict.checks.map((c) => [c.check, c.outcome])) };
}
