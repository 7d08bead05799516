/**
 * The email a person last verified or signed in with, so the face sign-in form can offer it
 * (after an approval, or a session that ended). Kept for the tab only, like the session token.
 */
const KEY = 'securetask.email';

/** Keeps `email` for the next face sign-in form of this tab. */
export function rememberEmail(email: string): void {
  try {
    sessionStorage.setItem(KEY, email.trim());
  } catch {
    // Storage refused (private mode, full): the person types it again, nothing worse.
  }
}

/** The email kept by {@link rememberEmail}, or an empty string. */
export function rememberedEmail(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}
