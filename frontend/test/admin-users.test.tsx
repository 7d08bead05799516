import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { describe, expect, it } from 'vitest';
import AdminPage from '../src/admin/AdminPage.tsx';
import {
  AdminUsersDocument,
  AllBoardsDocument,
  DeleteUserDocument,
  InvitationsDocument,
  InviteUserDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  SetUserRoleDocument,
  SetUserStatusDocument,
} from '../src/generated/graphql.ts';
import { Toasts } from '../src/ui/toasts.tsx';
import { ADMIN_ID, adminSession, USERS } from './admin-fixtures.ts';
import { renderWithApp } from './render.tsx';

const usersPage: MockLink.MockedResponse = {
  request: { query: AdminUsersDocument, variables: { limit: 50 } },
  result: { data: { users: { __typename: 'UserConnection', items: USERS, nextToken: null } } },
};

const boardsList: MockLink.MockedResponse = {
  request: { query: AllBoardsDocument },
  result: {
    data: {
      boards: [
        { __typename: 'Board', id: 'b-ops', key: 'OPS', name: 'Operations', settings: { __typename: 'BoardSettings', membersCreateTasks: false, labels: [] }, createdAt: '2025-03-01T00:00:00.000Z', archivedAt: null },
      ],
    },
  },
  maxUsageCount: 5,
};
const invitation = (email: string, role: 'ADMIN' | 'MEMBER', boards: { boardId: string; role: string }[] = []) => ({
  __typename: 'Invitation',
  email,
  role,
  boards: boards.map((b) => ({ __typename: 'BoardInvitation', ...b })),
  invitedBy: ADMIN_ID,
  createdAt: '2025-03-10T08:00:00.000Z',
  expiresAt: 1742198400,
});
const pending = (items: object[]): MockLink.MockedResponse => ({
  request: { query: InvitationsDocument, variables: { nextToken: null } },
  result: { data: { invitations: { __typename: 'InvitationConnection', items, nextToken: null } } },
});

function renderUsers(mocks: MockLink.MockedResponse[], invitations: MockLink.MockedResponse[] = [pending([])]) {
  return renderWithApp(
    <>
      <AdminPage params={{ section: 'users' }} />
      <Toasts />
    </>,
    { mocks: [usersPage, boardsList, ...invitations, ...mocks], session: adminSession() },
  );
}

const row = (text: string) => screen.getByRole('row', { name: new RegExp(text) });

describe('the users screen', () => {
  it('lists name, email, role, status and creation, and marks the admin themselves', async () => {
    renderUsers([]);
    const ana = await screen.findByRole('row', { name: /ana@example.com/ });
    expect(within(ana).getByRole('rowheader').textContent).toBe('Ana Lima');
    expect(within(ana).getByText('Member')).toBeTruthy();
    expect(within(ana).getByText('Active')).toBeTruthy();
    expect(within(ana).getByRole('button', { name: 'Make admin Ana Lima' })).toBeTruthy();
    // No name: the email names the person in the buttons.
    expect(within(row('ben@example.com')).getByRole('button', { name: 'Activate ben@example.com' })).toBeTruthy();
    expect(within(row('admin@example.com')).getByText('you')).toBeTruthy();
  });

  it("changes a member's role and status in place", async () => {
    const ana = USERS[1];
    renderUsers([
      { request: { query: SetUserRoleDocument, variables: { userId: 'u-ana', role: 'ADMIN' } }, result: { data: { setUserRole: { ...ana, role: 'ADMIN' } } } },
      { request: { query: SetUserStatusDocument, variables: { userId: 'u-ana', status: 'DISABLED' } }, result: { data: { setUserStatus: { ...ana, role: 'ADMIN', status: 'DISABLED' } } } },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Make admin Ana Lima' }));
    await waitFor(() => expect(within(row('ana@example.com')).getByText('Admin')).toBeTruthy());
    expect(within(row('ana@example.com')).getByRole('button', { name: 'Make member Ana Lima' })).toBeTruthy();
    expect(await screen.findByText('Ana Lima is now an admin.')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Disable Ana Lima' }));
    await waitFor(() => expect(within(row('ana@example.com')).getByText('Disabled')).toBeTruthy());
    expect(within(row('ana@example.com')).getByRole('button', { name: 'Activate Ana Lima' })).toBeTruthy();
  });

  it('shows the reason when a change is refused', async () => {
    renderUsers([
      {
        request: { query: SetUserStatusDocument, variables: { userId: 'u-ben', status: 'ACTIVE' } },
        result: { errors: [{ message: 'the user was deleted meanwhile', errorType: 'NotFound' } as never] },
      },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Activate ben@example.com' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^ben@example.com was not changed. The user was deleted meanwhile./);
    expect(within(row('ben@example.com')).getByText('Disabled')).toBeTruthy();
  });

  it('erases only after a confirmation that says what erasure deletes', async () => {
    renderUsers([{ request: { query: DeleteUserDocument, variables: { userId: 'u-ana' } }, result: { data: { deleteUser: 'u-ana' } } }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Erase Ana Lima' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Erase Ana Lima?' });
    expect(dialog.textContent).toMatch(/reference face/);
    expect(dialog.textContent).toMatch(/every ID photo and liveness image/);
    expect(dialog.textContent).toMatch(/pending invitation/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(row('ana@example.com')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Erase Ana Lima' }));
    dialog = screen.getByRole('alertdialog', { name: 'Erase Ana Lima?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Erase permanently' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.queryByRole('row', { name: /ana@example.com/ })).toBeNull();
    expect(await screen.findByText('Ana Lima is erased.')).toBeTruthy();
  });

  it("warns before an admin demotes themselves, and shows the API's refusal in place", async () => {
    renderUsers([
      {
        request: { query: SetUserRoleDocument, variables: { userId: ADMIN_ID, role: 'MEMBER' } },
        result: { errors: [{ message: 'admins cannot change the role of themselves', errorType: 'ValidationError' } as never] },
      },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Make member Ada Admin' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove your own admin rights?' });
    expect(dialog.textContent).toMatch(/You would lose the admin screens/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Make myself a member' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Admins cannot change the role of themselves.');
    expect(within(row('admin@example.com')).getByText('Admin')).toBeTruthy();
  });

  it('asks before an admin disables themselves', async () => {
    renderUsers([]);
    await userEvent.click(await screen.findByRole('button', { name: 'Disable Ada Admin' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Disable your own account?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(within(row('admin@example.com')).getByText('Active')).toBeTruthy();
  });

  it('invites by email, role and boards, and says where the email goes locally', async () => {
    const sent = invitation('new.person@example.com', 'ADMIN', [{ boardId: 'b-ops', role: 'VIEWER' }]);
    renderUsers(
      [
        {
          request: { query: InviteUserDocument, variables: { email: 'new.person@example.com', role: 'ADMIN', boards: [{ boardId: 'b-ops', role: 'VIEWER' }] } },
          result: { data: { inviteUser: sent } },
        },
      ],
      [pending([]), pending([sent])],
    );
    const form = (await screen.findByRole('heading', { name: 'Invite someone' })).closest('section')!;
    expect(within(form).getByRole('link', { name: 'outbox' }).getAttribute('href')).toBe('/outbox');

    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/Enter an email address/);

    await userEvent.type(within(form).getByRole('textbox', { name: 'Email' }), ' New.Person@example.com ');
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: 'Role' }), 'Admin');
    await userEvent.selectOptions(await within(form).findByRole('combobox', { name: 'On Operations' }), 'Viewer');
    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByRole('button', { name: 'Withdraw the invitation of new.person@example.com' })).toBeTruthy();
    expect(within(form).getByText(/on Operations \(viewer\)/)).toBeTruthy();
    expect((within(form).getByRole('textbox', { name: 'Email' }) as HTMLInputElement).value).toBe('');
  });

  it('lists pending invitations, each to resend or withdraw', async () => {
    const dee = invitation('dee@example.com', 'MEMBER');
    const eve = invitation('eve@example.com', 'MEMBER');
    // The list answers as the server would at the time it is asked: without eve once she is
    // withdrawn, however many times and in whatever order the screen reads it.
    let withdrawn = false;
    const invitations: MockLink.MockedResponse = {
      ...pending([]),
      result: () => ({ data: { invitations: { __typename: 'InvitationConnection', items: withdrawn ? [dee] : [dee, eve], nextToken: null } } }),
      maxUsageCount: 10,
    };
    renderUsers(
      [
        { request: { query: ResendInvitationDocument, variables: { email: 'dee@example.com' } }, result: { data: { resendInvitation: dee } } },
        {
          request: { query: RevokeInvitationDocument, variables: { email: 'eve@example.com' } },
          result: () => {
            withdrawn = true;
            return { data: { revokeInvitation: 'eve@example.com' } };
          },
        },
      ],
      [invitations],
    );
    const list = (await screen.findByRole('heading', { name: 'Pending invitations' })).closest('section')!;
    await userEvent.click(await within(list).findByRole('button', { name: 'Resend the invitation of dee@example.com' }));
    expect(await screen.findByText('The invitation of dee@example.com is sent again.')).toBeTruthy();
    await userEvent.click(within(list).getByRole('button', { name: 'Withdraw the invitation of eve@example.com' }));
    expect(await screen.findByText('The invitation of eve@example.com is withdrawn.')).toBeTruthy();
    await waitFor(() => expect(within(list).queryByText('eve@example.com')).toBeNull());
    expect(within(list).getByText('dee@example.com')).toBeTruthy();
  });
});
