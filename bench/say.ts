/**
 * A progress line for the person running a benchmark. On stderr, so that `--json` leaves stdout
 * machine-readable.
 */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}
