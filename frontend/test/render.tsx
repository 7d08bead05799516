/**
 * Renders a component inside the app's providers, against an Apollo client whose link answers
 * from a list of expected operations (Apollo's MockLink): the component's real queries and
 * mutations, checked by name and variables, with canned answers from the test.
 */
import { ApolloClient } from '@apollo/client';
import { MockLink } from '@apollo/client/testing';
import { ApolloProvider } from '@apollo/client/react';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConfigContext } from '../src/app/config-context.ts';
import { CurrentBoardContext, type CurrentBoard } from '../src/boards/current-board.tsx';
import type { WebConfig } from '../src/app/config.ts';
import { createCache } from '../src/data/client.ts';
import { createSessionStore, type SessionStore } from '../src/session/session.ts';
import { SessionContext } from '../src/session/useSession.ts';

export const testConfig: WebConfig = {
  graphqlUrl: 'http://api.test/graphql',
  realtimeUrl: 'ws://api.test/graphql/realtime',
  apiKey: 'da2-test',
  region: 'us-east-1',
  stage: 'local',
  verification: { acceptSimilarity: 90, reviewSimilarity: 80, livenessThreshold: 80, attemptsPerSession: 3, coolDownMinutes: 15, sessionMinutes: 15, reviewDays: 7, recordDays: 30 },
};

/** The board the screens work on in tests: not `main`, so a screen that forgets the board fails its mocks. */
export const testBoard: CurrentBoard = { id: 'b-ops', key: 'OPS', name: 'Operations', role: 'ADMIN', membersCreateTasks: false };

/** A storage that lives as long as the test. */
export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

export function renderWithApp(
  ui: ReactElement,
  { mocks = [] as MockLink.MockedResponse[], session, board = testBoard }: { mocks?: MockLink.MockedResponse[]; session?: SessionStore; board?: CurrentBoard } = {},
) {
  const client = new ApolloClient({ link: new MockLink(mocks), cache: createCache() });
  const store = session ?? createSessionStore(memoryStorage());
  const result = render(
    <ConfigContext.Provider value={testConfig}>
      <SessionContext.Provider value={store}>
        <ApolloProvider client={client}>
          <CurrentBoardContext.Provider value={board}>{ui}</CurrentBoardContext.Provider>
        </ApolloProvider>
      </SessionContext.Provider>
    </ConfigContext.Provider>,
  );
  return { ...result, client, session: store };
}
