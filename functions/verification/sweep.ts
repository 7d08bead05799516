import { expireSession, type EndingContext } from './expire.ts';
import { sessionsByState, type SessionState } from './sessions.ts';

/** Open states, each with its own expiry: unfinished sessions after minutes, reviews after days. */
const SWEPT: readonly SessionState[] = ['REQUIRES_INPUT', 'PROCESSING', 'NEEDS_REVIEW'];

/**
 * Expires every open session whose time is up and deletes its images; answers how many. Runs
 * on a schedule; each session is ended with a conditional write, so overlapping runs (or a
 * person cancelling at the same moment) never end one twice.
 */
export async function sweepExpiredSessions(context: EndingContext): Promise<number> {
  const now = Math.floor(context.now().getTime() / 1000);
  let expired = 0;
  for (const state of SWEPT) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await sessionsByState(context.tables.sessions, state, { before: now + 1 }, { limit: 100, startKey });
      for (const session of page.items) {
        const ended = await expireSession(context, session);
        if (ended.state === 'EXPIRED') expired += 1;
      }
      startKey = page.lastKey;
    } while (startKey);
  }
  return expired;
}
