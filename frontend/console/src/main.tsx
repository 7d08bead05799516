/** The API console's page: reads its settings and the schema from the local runtime, then shows GraphiQL. */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './console.css';
import { createRoot } from 'react-dom/client';
import type { IntrospectionQuery } from 'graphql';
import { Console } from './Console.tsx';
import { CONSOLE_PATHS, type ConsoleSettings } from './console-settings.ts';

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const root = createRoot(document.getElementById('console')!);
Promise.all([getJson<ConsoleSettings>(CONSOLE_PATHS.settings), getJson<{ data: IntrospectionQuery }>(CONSOLE_PATHS.schema)]).then(
  ([settings, schema]) => root.render(<Console settings={settings} schema={schema.data} />),
  (error: unknown) => root.render(<p role="alert">The console cannot reach the local runtime ({String(error)}). Is `npm start` running?</p>),
);
