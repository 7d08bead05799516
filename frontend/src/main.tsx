/**
 * Starts the web app: reads the runtime settings, restores the session, makes the Apollo
 * client, renders. If the settings cannot be read, says so instead of a blank page.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared styles first: a feature's own rules come later and win at equal specificity.
import './app/styles.css';
import { App } from './app/App.tsx';
import { ConfigError, loadConfig } from './app/config.ts';
import { findRoute } from './app/routes.ts';
import { createApolloClient } from './data/client.ts';
import { createSessionStore } from './session/session.ts';

const root = createRoot(document.getElementById('root')!);

// The first screen's code downloads while the settings are read, so it renders without waiting.
const firstScreen = findRoute(location.pathname)?.route.preload().catch(() => undefined);

Promise.all([loadConfig(), firstScreen]).then(
  ([config]) => {
    const session = createSessionStore();
    const client = createApolloClient(config, session);
    root.render(
      <StrictMode>
        <App config={config} session={session} client={client} />
      </StrictMode>,
    );
  },
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : 'SecureTask could not start. Reload the page.';
    root.render(
      <main className="fatal" role="alert">
        <h1>SecureTask is unavailable</h1>
        <p>{message}</p>
      </main>,
    );
  },
);
