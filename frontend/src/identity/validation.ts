/** The form checks of onboarding and face sign-in, with the messages a person sees. */

/** The API takes 1-100 characters (trimmed). */
export const NAME_MAX = 100;

/** An error message, or undefined when the name will do. */
export function nameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter your name.';
  if (trimmed.length > NAME_MAX) return `Your name can be at most ${NAME_MAX} characters (it has ${trimmed.length}).`;
  return undefined;
}

/** An error message, or undefined when the address looks like one (the API checks it properly). */
export function emailProblem(email: string): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return 'Enter your email address.';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) return 'Enter a valid email address, like name@example.com.';
  return undefined;
}
