/**
 * The board a member's screens work on. Every board-scoped query, mutation and subscription
 * names it; the screens read it from here rather than from a constant. Chosen from the boards
 * the person is on (`myBoards`): the one the address names (`?board=OPS`), else the one last
 * used in this tab (so the navigation's plain links keep it), else the first. The board
 * switcher (shown to people on more than one board) changes the address.
 */
import { useQuery } from '@apollo/client/react';
import { createContext, useContext, type ReactNode } from 'react';
import { navigate, useLocation } from '../app/router.tsx';
import { MyBoardsDocument, type BoardRole } from '../generated/graphql.ts';
import { useSession } from '../session/useSession.ts';
import { EmptyState, Spinner } from '../ui/feedback.tsx';
import { NewBoardForm } from './NewBoardForm.tsx';

/** The board in use and the person's role on it. */
export interface CurrentBoard {
  id: string;
  key: string;
  name: string;
  role: BoardRole;
  /** The board's setting: whether its members (not only its admins) create tasks. */
  membersCreateTasks: boolean;
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
  const { path, search } = useLocation();
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
  const wanted = search.get('board') ?? rememberedBoard();
  const chosen = open.find((entry) => entry.board.key === wanted || entry.board.id === wanted) ?? open[0];
  if (!chosen) return <NoBoardYet />;
  const { id, key, name, settings } = chosen.board;
  rememberBoard(key);
  // A wall screen shows one board and nothing to press.
  const switcher = open.length > 1 && !search.has('wall') && (
    <BoardSwitcher boards={open.map((entry) => entry.board)} current={key} onChoose={(next) => navigate(switchedPath(path, next))} />
  );
  return (
    <CurrentBoardContext.Provider value={{ id, key, name, role: chosen.role, membersCreateTasks: settings.membersCreateTasks }}>
      {switcher}
      {children}
    </CurrentBoardContext.Provider>
  );
}

/** The same screen on another board: an open task belongs to the board it is on, so the board's page instead. */
export function switchedPath(path: string, boardKey: string): string {
  const screen = path.startsWith('/board/') ? '/board' : path;
  return `${screen}?board=${encodeURIComponent(boardKey)}`;
}

/**
 * Nobody has put the person on a board: an installation admin creates one (the first admin of a
 * new installation starts here), anyone else asks an admin.
 */
function NoBoardYet() {
  const session = useSession();
  if (session?.role === 'ADMIN') return <NewBoardForm first />;
  return (
    <EmptyState title="You are not on a board yet">
      <p>Ask an admin to add you to a board.</p>
    </EmptyState>
  );
}

/** A labelled select of the person's open boards; choosing one goes there. */
export function BoardSwitcher({ boards, current, onChoose }: { boards: { key: string; name: string }[]; current: string; onChoose(key: string): void }) {
  return (
    <div className="board-switcher">
      <label htmlFor="board-switcher">Board</label>
      <select id="board-switcher" value={current} onChange={(event) => onChoose(event.target.value)}>
        {boards.map((board) => (
          <option key={board.key} value={board.key}>
            {board.name} ({board.key})
          </option>
        ))}
      </select>
    </div>
  );
}

const REMEMBERED = 'securetask.board';

function rememberedBoard(): string | null {
  try {
    return sessionStorage.getItem(REMEMBERED);
  } catch {
    return null;
  }
}

function rememberBoard(key: string) {
  try {
    sessionStorage.setItem(REMEMBERED, key);
  } catch {
    // Storage refused (private mode): the address still names the board.
  }
}
