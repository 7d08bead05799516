import type { VerificationContext } from './context.ts';
import { getSession } from './sessions.ts';
import { viewOf, type VerificationView } from './view.ts';

/** The session as its holder sees it (an expired one is shown EXPIRED even before the sweeper). */
export async function getVerification(context: VerificationContext, id: string): Promise<VerificationView | null> {
  const session = await getSession(context.tables.sessions, id);
  return session ? viewOf(session, context) : null;
}
