/**
 * Keeps the X-Ray SDK out of its automatic mode where nothing is traced. Imported before the
 * tracer, since the SDK decides when it loads: automatic mode installs an async hook
 * (cls-hooked) on every promise of the process, never removed, which makes each `await` 10 to 20
 * times as costly. Tracing can only be on in Lambda (Powertools turns it off where
 * `AWS_EXECUTION_ENV` is unset), and the local runtime runs every function in one process.
 */
if (!process.env.AWS_EXECUTION_ENV) process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
