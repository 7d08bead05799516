import { acknowledged, graphql, type GraphQLAnswer } from './graphql.ts';

const CREATE = 'mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id version } }';
const UPDATE = 'mutation ($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { id version } }';

/** Where the writers send their requests; read before every request, so a restarted runtime is found. */
export type WriteTarget = () => { graphqlUrl: string; token: string };

/**
 * Load for fault tests: `workers` loops that each create a task and update it a few times, as
 * people on a board do, and remember every write the API acknowledged (HTTP 200, no errors).
 * Those, and only those, are what the runtime promised to keep. A failed or unanswered write
 * sends the worker on to a new task (its version may or may not have moved).
 */
export class TaskWriter {
  /** Task id -> the highest version an acknowledged write returned. */
  readonly acked = new Map<string, number>();
  /** Answers that were not acknowledgements (errors, refused connections), for the report. */
  readonly refused: GraphQLAnswer[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;
  private writes = 0;

  constructor(
    private readonly target: WriteTarget,
    private readonly options: { workers?: number; updatesPerTask?: number; label?: string } = {},
  ) {}

  /** Acknowledged writes so far (creates and updates). */
  get acknowledgedWrites(): number {
    return this.writes;
  }

  /** Requests sent and not answered yet. */
  get pending(): number {
    return this.inFlight;
  }

  start(): void {
    this.running = true;
    const workers = this.options.workers ?? 3;
    for (let w = 0; w < workers; w++) this.loops.push(this.loop(w));
  }

  /** Stops after the requests in flight are answered (or fail). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async loop(worker: number): Promise<void> {
    let serial = 0;
    while (this.running) {
      const created = await this.send(CREATE, { t: `${this.options.label ?? 'load'} w${worker} #${serial++}` }, 'createTask');
      if (!created) {
        await pause(100); // the runtime is down or refusing: do not spin
        continue;
      }
      let version = created.version as number;
      for (let u = 0; u < (this.options.updatesPerTask ?? 3) && this.running; u++) {
        const updated = await this.send(UPDATE, { i: { id: created.id, expectedVersion: version, description: `v${version + 1}` } }, 'updateTask');
        if (!updated) break;
        version = updated.version;
      }
    }
  }

  private async send(query: string, variables: Record<string, unknown>, field: string): Promise<{ id: string; version: number } | undefined> {
    const { graphqlUrl, token } = this.target();
    this.inFlight += 1;
    const answer = await graphql(graphqlUrl, query, variables, { authorization: token }, 15_000);
    this.inFlight -= 1;
    const task = acknowledged(answer, field) as { id: string; version: number } | undefined;
    if (!task) {
      this.refused.push(answer);
      return undefined;
    }
    this.writes += 1;
    this.acked.set(task.id, Math.max(this.acked.get(task.id) ?? 0, task.version));
    return task;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
