/**
 * GraphiQL for the local API: the schema from the runtime (its docs in GraphiQL's explorer), the
 * auth choice above the editor, and a status line that says when a subscription is listening.
 */
import { GraphiQL } from 'graphiql';
import type { IntrospectionQuery } from 'graphql';
import { useMemo, useRef, useState } from 'react';
import { createAppSyncFetcher } from './appsync-fetcher.ts';
import type { ConsoleAuth } from './auth.ts';
import { AuthPicker } from './AuthPicker.tsx';
import type { ConsoleSettings } from './console-settings.ts';

const FIRST_QUERY = `# SecureTask's API on this machine. Choose how to call it above, then run (Ctrl+Enter):
#   API key    the onboarding calls (startVerification, submitVerification, ...)
#   Dev token  a local user's session, as the web app calls (get one first)
#   IAM        SigV4 as the local IAM user: the fan-out's publish mutations
# The docs (the book icon) describe every type and field.

query Me {
  me {
    email
    role
  }
}
`;

export function Console({ settings, schema }: { settings: ConsoleSettings; schema: IntrospectionQuery }) {
  const [auth, setAuth] = useState<ConsoleAuth>({ mode: 'API_KEY', apiKey: settings.apiKey });
  const [status, setStatus] = useState('');
  const current = useRef(auth);
  current.current = auth;
  const fetcher = useMemo(
    () =>
      createAppSyncFetcher({
        graphqlUrl: settings.graphqlUrl,
        region: settings.region,
        auth: () => current.current,
        onSubscriptionReady: () => setStatus('Subscription listening: events appear on the right as they happen.'),
      }),
    [settings],
  );
  return (
    <div className="console">
      <header className="console-bar">
        <h1>SecureTask API console</h1>
        <p className="console-endpoint">
          <code>{settings.graphqlUrl}</code> (local)
        </p>
        <AuthPicker settings={settings} onChange={setAuth} />
        <p className="console-status" role="status">
          {status}
        </p>
      </header>
      <main className="console-graphiql">
        <GraphiQL fetcher={fetcher} schema={schema} defaultQuery={FIRST_QUERY} />
      </main>
    </div>
  );
}
