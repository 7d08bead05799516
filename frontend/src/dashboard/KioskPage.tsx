/**
 * The kiosk (`/kiosk#token=...`): a wall screen showing one board's dashboard all day, signed in
 * with a dashboard token a board admin made (board settings, "Wall screens"), never with a
 * face. The token travels in the address's fragment, which browsers do not send to servers (so
 * it is in no request log); the page keeps it in memory only. It opens the board's figures and
 * their live changes, nothing else.
 */
import { ApolloProvider } from '@apollo/client/react';
import { useMemo } from 'react';
import { useConfig } from '../app/config-context.ts';
import { createDashboardClient } from '../data/client.ts';
import { EmptyState } from '../ui/feedback.tsx';
import { DashboardView } from './DashboardPage.tsx';
import './dashboard.css';

/** What the page needs from a dashboard token's claims; the server verifies the token itself. */
export interface KioskToken {
  token: string;
  boardId: string;
  expiresAt: Date;
}

/** The dashboard token in an address fragment (`#token=...`), or why there is none to use. */
export function readKioskToken(hash: string, now = new Date()): KioskToken | { problem: string } {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (!token) return { problem: 'This address has no dashboard token.' };
  let claims: { typ?: unknown; board?: unknown; exp?: unknown };
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(payload));
  } catch {
    return { problem: 'The dashboard token in this address is damaged. Copy the whole address again.' };
  }
  if (claims.typ !== 'dashboard' || typeof claims.board !== 'string' || typeof claims.exp !== 'number') {
    return { problem: 'The token in this address is not a dashboard token.' };
  }
  const expiresAt = new Date(claims.exp * 1000);
  if (expiresAt <= now) return { problem: 'The dashboard token in this address has expired.' };
  return { token, boardId: claims.board, expiresAt };
}

export default function KioskPage() {
  const config = useConfig();
  // Read once: the page does not follow later changes of its address.
  const read = useMemo(() => readKioskToken(location.hash), []);
  const client = useMemo(() => ('token' in read ? createDashboardClient(config, read.token) : undefined), [config, read]);
  if (!('token' in read) || !client) {
    return (
      <EmptyState title="This wall screen cannot show a dashboard">
        <p>{'problem' in read ? read.problem : ''}</p>
        <p>A board admin makes a wall-screen address in the board's settings, under “Wall screens”, and opens it here.</p>
      </EmptyState>
    );
  }
  return (
    <ApolloProvider client={client}>
      <DashboardView boardId={read.boardId} wall kiosk />
    </ApolloProvider>
  );
}
