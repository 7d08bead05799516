/**
 * The board as the load generator knows it: every task's owner (its assignee), current version
 * and whether a request on it is out. Writers take idle tasks of their own and give them back
 * with the version the write produced, so no two requests ever contend for a task: any
 * ConflictError or TransactionConflict in the run is then a real error, not the workload's doing.
 */

/** One task, as last acknowledged by the server. */
export interface TaskState {
  id: string;
  assigneeId: string;
  status: string;
  priority: string;
  version: number;
  /** A request on this task is out. */
  busy: boolean;
  /** A write on it failed, so its version is unknown: it takes no more writes. */
  retired: boolean;
}

/** The tasks, by id and by owner. */
export class TaskBook {
  readonly byId = new Map<string, TaskState>();
  readonly ids: string[] = [];
  private readonly byOwner = new Map<string, TaskState[]>();
  /** Tasks that have had a comment in this run: `comments` reads favour them. */
  readonly commented: string[] = [];
  private readonly commentedSet = new Set<string>();

  add(task: Omit<TaskState, 'busy' | 'retired'>): void {
    const state = { ...task, busy: false, retired: false };
    this.byId.set(task.id, state);
    this.ids.push(task.id);
    const owned = this.byOwner.get(task.assigneeId) ?? [];
    owned.push(state);
    this.byOwner.set(task.assigneeId, owned);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Any task id (reads do not take tasks). */
  anyId(random: () => number): string {
    return this.ids[Math.floor(random() * this.ids.length)];
  }

  /**
   * Takes `count` idle tasks of `ownerId` (or of anyone, when undefined), marking them busy;
   * undefined when there are not that many idle ones (the caller counts a skip).
   */
  take(random: () => number, count: number, ownerId?: string): TaskState[] | undefined {
    const pool = ownerId === undefined ? undefined : this.byOwner.get(ownerId);
    const size = pool ? pool.length : this.ids.length;
    const at = (i: number) => (pool ? pool[i] : this.byId.get(this.ids[i])!);
    const taken: TaskState[] = [];
    // Start at a random place and walk on: idle tasks are found without building a list.
    const start = Math.floor(random() * size);
    for (let step = 0; step < size && taken.length < count; step++) {
      const task = at((start + step) % size);
      if (!task.busy && !task.retired) taken.push(task);
    }
    if (taken.length < count) return undefined;
    for (const task of taken) task.busy = true;
    return taken;
  }

  /** Gives tasks back; `failed` retires them (their version is no longer known). */
  release(tasks: TaskState[], failed = false): void {
    for (const task of tasks) {
      task.busy = false;
      if (failed) task.retired = true;
    }
  }

  /** Notes that a task has a comment now. */
  noteComment(id: string): void {
    if (this.commentedSet.has(id)) return;
    this.commentedSet.add(id);
    this.commented.push(id);
  }

  /** How many tasks were retired by failed writes. */
  get retiredCount(): number {
    let n = 0;
    for (const task of this.byId.values()) if (task.retired) n += 1;
    return n;
  }
}
