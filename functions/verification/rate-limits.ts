import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';

/** One limit: at most `limit` uses per `windowSeconds`; going over costs `coolDownSeconds`. */
export interface Limit {
  limit: number;
  windowSeconds: number;
  coolDownSeconds: number;
}

/** The outcome of asking for one use. */
export type LimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counters in one table, keyed by what is limited (`email:<address>`, `source:<ip>`), each a
 * fixed window that starts at its first use. Every step is one conditional write, so
 * concurrent requests from many function instances count exactly.
 */
export class RateLimiter {
  constructor(
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether `key` is cooling down, without counting a use. */
  async check(key: string): Promise<LimitOutcome> {
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: this.table, Key: { id: { S: key } }, ConsistentRead: true }));
    const until = Number(Item?.coolDownUntil?.N ?? 0);
    const now = this.seconds();
    return until > now ? { allowed: false, retryAfterSeconds: until - now } : { allowed: true };
  }

  /** Counts one use of `key`; over the limit, starts the cool-down and refuses. */
  async consume(key: string, limit: Limit): Promise<LimitOutcome> {
    const now = this.seconds();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { Attributes } = await dynamodb().send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: { id: { S: key } },
            UpdateExpression: 'SET windowEnds = if_not_exists(windowEnds, :end), expiresAt = if_not_exists(expiresAt, :expires) ADD used :one',
            ConditionExpression: '(attribute_not_exists(windowEnds) OR windowEnds > :now) AND (attribute_not_exists(coolDownUntil) OR coolDownUntil <= :now)',
            ExpressionAttributeValues: {
              ':end': { N: String(now + limit.windowSeconds) },
              ':expires': { N: String(now + limit.windowSeconds + limit.coolDownSeconds) },
              ':one': { N: '1' },
              ':now': { N: String(now) },
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (Number(Attributes!.used.N) <= limit.limit) return { allowed: true };
        return this.coolDown(key, limit.coolDownSeconds);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      // Cooling down, or the window is over: which one?
      const state = await this.check(key);
      if (!state.allowed) return state;
      await this.restartWindow(key, limit, now);
    }
    throw new Error(`rate limit ${key}: could not count a use`);
  }

  /** Makes `key` wait `seconds` from now, whatever its counter says (a session that FAILED). */
  async coolDown(key: string, seconds: number): Promise<LimitOutcome> {
    const until = this.seconds() + seconds;
    await dynamodb().send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { id: { S: key } },
        UpdateExpression: 'SET coolDownUntil = :until, expiresAt = :until REMOVE windowEnds, used',
        ExpressionAttributeValues: { ':until': { N: String(until) } },
      }),
    );
    return { allowed: false, retryAfterSeconds: seconds };
  }

  private async restartWindow(key: string, limit: Limit, now: number): Promise<void> {
    try {
      // Only replace a window that is over; a racing request may already have started the next.
      await dynamodb().send(
        new PutItemCommand({
          TableName: this.table,
          Item: { id: { S: key }, used: { N: '0' }, windowEnds: { N: String(now + limit.windowSeconds) }, expiresAt: { N: String(now + limit.windowSeconds + limit.coolDownSeconds) } },
          ConditionExpression: 'attribute_not_exists(windowEnds) OR windowEnds <= :now',
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
