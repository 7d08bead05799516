/**
 * The board a member's screens work on. Every board-scoped query, mutation and subscription
 * names it; the screens read it from here rather than from a constant. Chosen from the boards
 * the person is on (`myBoards`): the one the address names (`?board=OPS`), else the first.
 * Choosing between boards (the board switcher) is not built yet; the address is the way today.
 */
import { useQuery } from '@apollo/client/react';
import { createContext, useContext, type ReactNode } from 'react';
import { useLocation } from '../app/router.tsx';
import { MyBoardsDocument, type BoardRole } from '../generated/graphql.ts';
import { EmptyState, Spinner } from '../ui/feedback.tsx';

/** The board in use and the person's role on it. */
export interface CurrentBoard {
  id: string;
  key: string;
  name: string;
  role: BoardRole;
}

export const CurrentBoardContext = createContext<CurrentBoard | null>(null);

/** The board in use; only under {@link WithCurrentBoard} (or a test's provider). */
export function useCurrentBoard(): CurrentBoard {
  const board = useContext(CurrentBoardContext);
  if (!board) throw new Error('useCurrentBoard outside WithCurrentBoard');
  return board;
}

/** Loads the person's boards and renders `children` with the one in use, or says there is none. */
export function WithCurrentBoard({ children }: { children: ReactNode }) {
  const { search } = useLocation();
  const { data, loading, error } = useQuery(MyBoardsDocument, { fetchPolicy: 'cache-and-network' });
  if (!data && loading) return <Spinner />;
  if (!data) {
    return (
      <EmptyState title="Your boards could not be read">
        <p>{error?.message ?? 'Try again in a moment.'}</p>
      </EmptyState>
    );
  }
  const open = data.myBoards.filter((entry) => !entry.board.archivedAt);
  const wanted = search.get('board');
  const chosen = open.find((entry) => entry.board.key === wanted || entry.board.id === wanted) ?? open[0];
  if (!chosen) {
    return (
      <EmptyState title="You are not on a board yet">
        <p>Ask an admin to add you to a board.</p>
      </EmptyState>
    );
  }
  const { id, key, name } = chosen.board;
  return <CurrentBoardContext.Provider value={{ id, key, name, role: chosen.role }}>{children}</CurrentBoardContext.Provider>;
}
