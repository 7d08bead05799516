/**
 * Board settings (`/settings`, for the board in use): its name and rules, its members and their
 * board roles, its wall screens (dashboard tokens), and, for installation admins, a new board. Board admins change them; everyone else
 * on the board reads who is on it. What each board role may do: docs/board-roles.md.
 */
import { useQuery } from '@apollo/client/react';
import { BoardDetailsDocument } from '../generated/graphql.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { apiError } from '../data/errors.ts';
import { BoardDetailsForm } from './BoardDetailsForm.tsx';
import { useSession } from '../session/useSession.ts';
import { BoardMembersPanel } from './BoardMembersPanel.tsx';
import { useCurrentBoard } from './current-board.tsx';
import { NewBoardForm } from './NewBoardForm.tsx';
import { WallScreensPanel } from './WallScreensPanel.tsx';
import './boards.css';

export default function BoardSettingsPage() {
  const { id, name, role } = useCurrentBoard();
  const admin = role === 'ADMIN';
  const session = useSession();
  const { data, error, refetch } = useQuery(BoardDetailsDocument, { variables: { id }, skip: !admin });
  return (
    <section className="board-settings" aria-labelledby="board-settings-title">
      <h1 id="board-settings-title">Settings of {name}</h1>
      {!admin && <p className="board-settings-muted">Only the board&rsquo;s admins change these settings; you can see who is on the board.</p>}
      {admin &&
        (data?.board ?
          <BoardDetailsForm board={data.board} />
        : error ?
          <ErrorBanner error={apiError(error)} onRetry={() => void refetch()} />
        : <Spinner />)}
      <BoardMembersPanel boardId={id} admin={admin} />
      {admin && <WallScreensPanel boardId={id} />}
      {session?.role === 'ADMIN' && <NewBoardForm />}
    </section>
  );
}
