/**
 * The Amplify JS v6 GraphQL client (`aws-amplify`: `Amplify.configure` + `generateClient()`),
 * subscribing to a SecureTask endpoint in a process of its own. Amplify always connects over
 * `wss://`, and Node reads the extra CA certificates (NODE_EXTRA_CA_CERTS = the local stack's
 * certificate) only when a process starts, hence the separate process. Started by
 * `startAmplifyChild()` (amplify.ts) as `node --import tsx amplify-child.ts`.
 *
 * Input: env AMPLIFY_CHILD_CONFIG, JSON `{ graphqlUrl, region, subscriptions: [{ name, query,
 * variables, authToken }] }`. The subscriptions start one after another, each once the previous
 * one was answered.
 * Output: one JSON object per line on stdout:
 *   { kind: 'socket', url, protocols }          a WebSocket Amplify opened; the `header-` protocol
 *                                               as `header-<base64url: names of its headers>`
 *   { kind: 'wire', dir, type, id? }             each protocol message, in and out
 *   { kind: 'ack', name, id } | { kind: 'refused', name, answer }   how each start was answered
 *   { kind: 'data', name, data }                 what Amplify handed the app
 *   { kind: 'error', name, error }               what Amplify's observable errored with
 *   { kind: 'ready' }                            every subscription was answered
 *   { kind: 'closed' } | { kind: 'fatal', message }
 * It stops when stdin ends (or a line says "stop"): unsubscribes, waits for Amplify to close its
 * socket, and exits 0.
 */
import { createInterface } from 'node:readline';
import { installGlobalWebSocket, Wire } from './wire.ts';

interface SubscriptionSpec {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  authToken?: string;
}
interface ChildConfig {
  graphqlUrl: string;
  region: string;
  subscriptions: SubscriptionSpec[];
}
/** The part of `aws-amplify` used here (typed locally: the package may not be installed when this is type-checked). */
interface AmplifyModule {
  Amplify: { configure(config: unknown): void };
}
interface AmplifyApiModule {
  generateClient(): { graphql(options: { query: string; variables?: Record<string, unknown>; authToken?: string }): unknown };
}
interface Subscribable {
  subscribe(observer: { next(value: { data?: unknown }): void; error(error: unknown): void }): { unsubscribe(): void };
}

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const config = JSON.parse(process.env.AMPLIFY_CHILD_CONFIG ?? '') as ChildConfig;
  const wire = new Wire();
  wire.onSocket = ({ url, protocols }) => emit({ kind: 'socket', url, protocols: protocols.map(describeProtocol) });
  wire.onMessage = ({ dir, message }) => {
    if (message?.type !== 'ka') emit({ kind: 'wire', dir, type: message?.type, id: message?.id, payload: message?.type === 'start' ? undefined : message?.payload });
  };
  // Amplify creates its sockets with the global WebSocket: this one records what goes over it.
  installGlobalWebSocket(wire.webSocketClass());

  const load = (specifier: string) => import(specifier);
  const { Amplify } = (await load('aws-amplify')) as AmplifyModule;
  const { generateClient } = (await load('aws-amplify/api')) as AmplifyApiModule;
  Amplify.configure({ API: { GraphQL: { endpoint: config.graphqlUrl, region: config.region, defaultAuthMode: 'lambda' } } });
  const client = generateClient();

  const subscriptions: { unsubscribe(): void }[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    subscriptions.forEach((s) => s.unsubscribe());
    await wire.closed(3_000); // Amplify closes an unused socket a second after the last unsubscribe
    emit({ kind: 'closed' });
    process.exit(0);
  };
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => line.trim() === 'stop' && void stop());
  input.on('close', () => void stop());
  setTimeout(() => {
    emit({ kind: 'fatal', message: 'the test never stopped this child' });
    process.exit(2);
  }, 60_000).unref();

  for (const spec of config.subscriptions) {
    const from = wire.messages.length;
    let errored!: () => void;
    const failed = new Promise<undefined>((resolve) => (errored = () => resolve(undefined)));
    const observable = client.graphql({ query: spec.query, variables: spec.variables, authToken: spec.authToken }) as Subscribable;
    subscriptions.push(
      observable.subscribe({
        next: (value) => emit({ kind: 'data', name: spec.name, data: value.data }),
        error: (error) => {
          emit({ kind: 'error', name: spec.name, error: plain(error) });
          errored();
        },
      }),
    );
    const outcome = await Promise.race([wire.started(from, 15_000).catch((e: Error) => ({ start: undefined, answer: { type: 'timeout', message: e.message } })), failed]);
    if (outcome?.answer.type === 'start_ack') emit({ kind: 'ack', name: spec.name, id: outcome.answer.id });
    else emit({ kind: 'refused', name: spec.name, answer: outcome?.answer ?? 'the observable errored first' });
  }
  emit({ kind: 'ready' });
}

/** `header-<base64url JSON>` as `header-<base64url: Authorization,host>`: its form and header names, not the token. */
function describeProtocol(protocol: string): string {
  if (!protocol.startsWith('header-')) return protocol;
  const encoded = protocol.slice('header-'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return `header-<not base64url: ${encoded.slice(0, 20)}>`;
  try {
    return `header-<base64url: ${Object.keys(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as object).join(',')}>`;
  } catch {
    return 'header-<base64url, not JSON>';
  }
}

/** An error as JSON can carry it: Error fields included. */
function plain(error: unknown): unknown {
  return JSON.parse(JSON.stringify(error, (_, value: unknown) => (value instanceof Error ? { ...value, name: value.name, message: value.message } : value)) ?? 'null');
}

main().catch((error: unknown) => {
  emit({ kind: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
