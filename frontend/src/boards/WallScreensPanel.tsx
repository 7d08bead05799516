/**
 * A board's wall screens: dashboard tokens, each named, read-only, for this board's figures
 * only, living the days the admin chose (1-365). A new one is shown once, as the kiosk address
 * (`/kiosk#token=...`) to open on the wall screen; a revoked one stops working at once.
 */
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { apiError } from '../data/errors.ts';
import { CreateDashboardTokenDocument, DashboardTokensDocument, RevokeDashboardTokenDocument } from '../generated/graphql.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { toast } from '../ui/toasts.tsx';

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The address a wall screen opens: the token in the fragment, which browsers never send to a server. */
export function kioskAddress(origin: string, token: string): string {
  return `${origin}/kiosk#token=${encodeURIComponent(token)}`;
}

export function WallScreensPanel({ boardId }: { boardId: string }) {
  const client = useApolloClient();
  const { data, error, refetch } = useQuery(DashboardTokensDocument, { variables: { boardId }, fetchPolicy: 'cache-and-network' });
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [problem, setProblem] = useState<string>();
  const [created, setCreated] = useState<{ name: string; address: string }>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const expiresInDays = Number(days);
    if (!name.trim()) return setProblem('Name the screen, for example “Office hallway”.');
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) return setProblem('Choose between 1 and 365 days.');
    setBusy(true);
    setProblem(undefined);
    try {
      const { data: answer } = await client.mutate({ mutation: CreateDashboardTokenDocument, variables: { boardId, name: name.trim(), expiresInDays } });
      setCreated({ name: name.trim(), address: kioskAddress(location.origin, answer!.createDashboardToken.token) });
      setName('');
      await refetch();
    } catch (failure) {
      setProblem(apiError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string, screenName: string) => {
    try {
      await client.mutate({ mutation: RevokeDashboardTokenDocument, variables: { boardId, id } });
      await refetch();
      toast(`“${screenName}” no longer shows the board.`, 'success');
    } catch (failure) {
      toast(apiError(failure).message, 'error');
    }
  };

  const tokens = data?.dashboardTokens ?? [];
  return (
    <section className="board-settings-section" aria-labelledby="wall-screens-title">
      <h2 id="wall-screens-title">Wall screens</h2>
      <p className="board-settings-muted">A wall screen shows this board&rsquo;s dashboard all day without anyone signed in. It sees the figures and nothing else.</p>
      {created && (
        <div className="board-settings-created" role="status">
          <p>
            Open this address on “{created.name}”. It is shown only now: copy it before you leave this page.
          </p>
          <input className="board-settings-address" readOnly aria-label={`Wall screen address for ${created.name}`} value={created.address} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <form className="board-settings-inline" onSubmit={create} noValidate>
        <Field label="Screen name" error={problem}>
          {(control) => <input {...control} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Works for (days)">
          {(control) => <input {...control} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Making…' : 'Make a wall screen address'}
        </button>
      </form>
      {error && <ErrorBanner error={apiError(error)} onRetry={() => void refetch()} />}
      {!data && !error ?
        <Spinner />
      : tokens.length > 0 && (
          <ul className="board-settings-tokens">
            {tokens.map((token) => (
              <li key={token.id}>
                <strong>{token.name}</strong>{' '}
                <span className="board-settings-muted">
                  {token.revokedAt ? `revoked ${day.format(new Date(token.revokedAt))}` : `works until ${day.format(new Date(token.expiresAt))}`}
                </span>
                {!token.revokedAt && (
                  <button type="button" className="button button-quiet" onClick={() => void revoke(token.id, token.name)}>
                    Revoke {token.name}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      }
    </section>
  );
}
