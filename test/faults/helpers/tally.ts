/**
 * Counts the faults a suite injected and the ones it survived (every check after the fault
 * passed), per kind, and prints them in one line for RELIABILITY.md:
 * `faults: injected 3, survived 3 (kill -9 during writes: 1/1, ...)`.
 */
export class FaultTally {
  private readonly kinds = new Map<string, { injected: number; survived: number }>();

  constructor(private readonly suite: string) {}

  /** Call right after the fault happened. */
  injected(kind: string): void {
    this.entry(kind).injected += 1;
  }

  /** Call after the last check that followed the fault passed. */
  survived(kind: string): void {
    this.entry(kind).survived += 1;
  }

  /** The one-line summary. */
  line(): string {
    let injected = 0;
    let survived = 0;
    const parts: string[] = [];
    for (const [kind, counts] of this.kinds) {
      injected += counts.injected;
      survived += counts.survived;
      parts.push(`${kind}: ${counts.survived}/${counts.injected}`);
    }
    return `faults [${this.suite}]: injected ${injected}, survived ${survived} (${parts.join('; ') || 'none'})`;
  }

  private entry(kind: string) {
    let counts = this.kinds.get(kind);
    if (!counts) this.kinds.set(kind, (counts = { injected: 0, survived: 0 }));
    return counts;
  }
}
