/**
 * The one base of the errors this project throws on purpose, jose's way: a stable,
 * machine-readable `code` that callers, logs and tests branch on, and a message for people. Each
 * kind is a subclass that sets its `code` (one value, or a small union of values) and its `name`.
 * Used by the runtime, the functions and the emulators alike; it knows nothing of SecureTask.
 */
export class SecureTaskError extends Error {
  /** Stable: what code branches on. The message may change; the code does not. */
  declare readonly code: string;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
