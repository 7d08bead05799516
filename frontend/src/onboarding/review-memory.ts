/**
 * The id of a session waiting for review, kept for the tab (like the session token), so that a
 * reload shows the wait again instead of an empty form. The id is the session's only secret: it
 * never leaves this tab's storage.
 */
const KEY = 'securetask.review';

export interface WaitingReview {
  id: string;
  email: string;
}

/** Remembers the session waiting for review (and the email it is for). */
export function rememberReview(id: string, email: string): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ id, email }));
  } catch {
    // No storage: a reload shows the form; the email still brings the decision.
  }
}

/** The session this tab left waiting for review, if any. */
export function rememberedReview(): WaitingReview | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<WaitingReview> | null;
    return typeof saved?.id === 'string' ? { id: saved.id, email: typeof saved.email === 'string' ? saved.email : '' } : null;
  } catch {
    return null;
  }
}

/** The wait is over (decided, canceled, expired): nothing to come back to. */
export function forgetReview(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
