import { execute, type DocumentNode, type GraphQLSchema } from 'graphql';
import { matchesArguments, matchesFilter, type EnhancedFilter } from './filters.ts';

/** One live subscription: what it listens to, its filters, and where its messages go. */
export interface LiveSubscription {
  /** The client's id for it, unique on its connection. */
  id: string;
  connectionId: string;
  /** The Subscription field, e.g. `onTaskEvent`. */
  field: string;
  /** The arguments the subscriber gave (argument filters). */
  args: Record<string, unknown>;
  filter?: EnhancedFilter;
  invalidationFilter?: EnhancedFilter;
  document: DocumentNode;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** Sends one `data` message whose payload is already JSON text. */
  deliver(payloadJson: string): void;
  /** Ends the subscription from the server side (invalidation). */
  end(): void;
}

/**
 * Which subscriptions exist, and what reaches them. A mutation's response is matched against
 * each subscription of the fields that `@aws_subscribe` to it (argument filters, then enhanced
 * filters) and shaped to the subscriber's own selection: fields the mutation did not select
 * are null, as AppSync sends them.
 */
export class SubscriptionHub {
  private readonly byField = new Map<string, Map<string, LiveSubscription>>();
  /** Subscriptions that sent the same document and variables get the same payload. */
  private readonly shapeKeys = new WeakMap<LiveSubscription, string>();

  /** `subscribersOf`: mutation field -> the Subscription fields that listen to it. */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly subscribersOf: ReadonlyMap<string, readonly string[]>,
  ) {}

  add(subscription: LiveSubscription): void {
    let live = this.byField.get(subscription.field);
    if (!live) this.byField.set(subscription.field, (live = new Map()));
    live.set(key(subscription), subscription);
    this.shapeKeys.set(
      subscription,
      `${subscription.document.loc?.source.body}\u0000${JSON.stringify(subscription.variables ?? {})}\u0000${subscription.operationName ?? ''}`,
    );
  }

  remove(subscription: LiveSubscription): void {
    this.byField.get(subscription.field)?.delete(key(subscription));
  }

  /** How many subscriptions are live (for limits and figures). */
  get size(): number {
    let total = 0;
    for (const live of this.byField.values()) total += live.size;
    return total;
  }

  /** Delivers a mutation's response to every matching subscriber; returns how many got it. */
  publish(mutationField: string, response: unknown): number {
    let delivered = 0;
    for (const field of this.subscribersOf.get(mutationField) ?? []) {
      const live = this.byField.get(field);
      if (!live?.size) continue;
      // Shaped and serialised once per distinct document, however many subscribers share it.
      const shaped = new Map<string, string>();
      for (const subscription of live.values()) {
        if (!matchesArguments(subscription.args, response) || !matchesFilter(subscription.filter, response)) continue;
        const shapeKey = this.shapeKeys.get(subscription)!;
        let payload = shaped.get(shapeKey);
        if (payload === undefined) shaped.set(shapeKey, (payload = JSON.stringify(this.shape(subscription, response))));
        subscription.deliver(payload);
        delivered += 1;
      }
    }
    return delivered;
  }

  /** Ends every subscription of `field` whose invalidation filter matches `payload`. */
  invalidate(field: string, payload: unknown): number {
    let ended = 0;
    for (const subscription of [...(this.byField.get(field)?.values() ?? [])]) {
      if (subscription.invalidationFilter && matchesFilter(subscription.invalidationFilter, payload)) {
        this.remove(subscription);
        subscription.end();
        ended += 1;
      }
    }
    return ended;
  }

  private shape(subscription: LiveSubscription, response: unknown) {
    const result = execute({
      schema: this.schema,
      document: subscription.document,
      operationName: subscription.operationName,
      variableValues: subscription.variables,
      rootValue: { [subscription.field]: response },
    }) as { data?: unknown; errors?: readonly { message: string; path?: readonly (string | number)[] }[] };
    return result.errors?.length
      ? { data: result.data ?? null, errors: result.errors.map((e) => ({ message: e.message, path: e.path ?? null, errorType: 'ExecutionError' })) }
      : { data: result.data ?? null };
  }
}

function key(subscription: LiveSubscription): string {
  return `${subscription.connectionId}\u0000${subscription.id}`;
}

/** Reads `@aws_subscribe(mutations: [...])` from the schema: mutation field -> subscription fields. */
export function subscriptionsByMutation(schema: GraphQLSchema): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const mutations = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (mutations?.kind !== 'ListValue') continue;
    for (const value of mutations.values) {
      if (value.kind !== 'StringValue') continue;
      map.set(value.value, [...(map.get(value.value) ?? []), field.name]);
    }
  }
  return map;
}
