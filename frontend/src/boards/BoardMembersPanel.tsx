/**
 * Who is on a board, with their board role. Board admins change a role or take someone off the
 * board; an installation admin also puts people on it (the list of users is theirs to read).
 */
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useUserDirectory } from '../admin/useUserDirectory.ts';
import { apiError } from '../data/errors.ts';
import { BoardMembersDocument, RemoveBoardMemberDocument, SetBoardMemberDocument, type BoardRole } from '../generated/graphql.ts';
import { useSession } from '../session/useSession.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { toast } from '../ui/toasts.tsx';

const ROLES: { value: BoardRole; label: string }[] = [
  { value: 'ADMIN', label: 'Board admin' },
  { value: 'MEMBER', label: 'Member' },
  { value: 'VIEWER', label: 'Viewer' },
];

export function BoardMembersPanel({ boardId, admin }: { boardId: string; admin: boolean }) {
  const client = useApolloClient();
  const session = useSession();
  const { data, error, refetch } = useQuery(BoardMembersDocument, { variables: { boardId }, fetchPolicy: 'cache-and-network' });
  const [busy, setBusy] = useState<string>();
  const members = data?.boardMembers.items ?? [];

  const act = async (userId: string, action: () => Promise<unknown>, done: string) => {
    setBusy(userId);
    try {
      await action();
      await refetch();
      toast(done, 'success');
    } catch (failure) {
      toast(apiError(failure).message, 'error');
    } finally {
      setBusy(undefined);
    }
  };
  const setRole = (userId: string, role: BoardRole, who: string) =>
    act(userId, () => client.mutate({ mutation: SetBoardMemberDocument, variables: { boardId, userId, role } }), `${who} is now ${ROLES.find((r) => r.value === role)!.label.toLowerCase()}.`);
  const remove = (userId: string, who: string) =>
    act(userId, () => client.mutate({ mutation: RemoveBoardMemberDocument, variables: { boardId, userId } }), `${who} is off the board.`);

  return (
    <section className="board-settings-section" aria-labelledby="board-members-title">
      <h2 id="board-members-title">Members</h2>
      {error && <ErrorBanner error={apiError(error)} onRetry={() => void refetch()} />}
      {!data && !error ?
        <Spinner label="Loading the members…" />
      : <table className="board-settings-table">
          <caption className="visually-hidden">People on this board and their board roles</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Board role</th>
              {admin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const who = member.name ?? member.email;
              return (
                <tr key={member.userId}>
                  <th scope="row">
                    {who}
                    {member.name && <span className="board-settings-muted"> {member.email}</span>}
                  </th>
                  <td>
                    {admin ?
                      <select
                        aria-label={`Board role of ${who}`}
                        value={member.role}
                        disabled={busy === member.userId}
                        onChange={(e) => void setRole(member.userId, e.target.value as BoardRole, who)}
                      >
                        {ROLES.map((role) => (
                          <option key={role.value} value={role.value}>
                            {role.label}
                          </option>
                        ))}
                      </select>
                    : ROLES.find((role) => role.value === member.role)!.label}
                  </td>
                  {admin && (
                    <td>
                      <button type="button" className="button button-quiet" disabled={busy === member.userId} onClick={() => void remove(member.userId, who)}>
                        Remove {who}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      }
      {admin && session?.role === 'ADMIN' && <AddMember members={members.map((m) => m.userId)} onAdd={(userId, role, who) => setRole(userId, role, who)} />}
    </section>
  );
}

/** An installation admin puts someone on the board: a person not on it yet, with a role. */
function AddMember({ members, onAdd }: { members: string[]; onAdd(userId: string, role: BoardRole, who: string): Promise<void> }) {
  const directory = useUserDirectory();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<BoardRole>('MEMBER');
  const candidates = directory.users.filter((user) => user.status === 'ACTIVE' && !members.includes(user.id));
  if (!directory.ready || candidates.length === 0) return null;
  return (
    <form
      className="board-settings-inline"
      onSubmit={(event) => {
        event.preventDefault();
        const user = candidates.find((candidate) => candidate.id === userId);
        if (user) void onAdd(user.id, role, user.name ?? user.email).then(() => setUserId(''));
      }}
    >
      <label htmlFor="add-member-person">Add a person</label>
      <select id="add-member-person" value={userId} onChange={(e) => setUserId(e.target.value)}>
        <option value="">Choose…</option>
        {candidates.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name ?? user.email}
          </option>
        ))}
      </select>
      <label htmlFor="add-member-role">as</label>
      <select id="add-member-role" value={role} onChange={(e) => setRole(e.target.value as BoardRole)}>
        {ROLES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button" disabled={!userId}>
        Add to the board
      </button>
    </form>
  );
}
