// Placeholder until the session timer is built (issue 7, in progress).
export function SessionTimer() {
  return null;
}
