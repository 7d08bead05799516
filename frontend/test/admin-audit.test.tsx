import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { describe, expect, it } from 'vitest';
import AdminPage from '../src/admin/AdminPage.tsx';
import { AdminUsersDocument, AuditLogDocument, type AuditFilter } from '../src/generated/graphql.ts';
import { ADMIN_ID, adminSession, USERS } from './admin-fixtures.ts';
import { renderWithApp } from './render.tsx';

const directory: MockLink.MockedResponse = {
  request: { query: AdminUsersDocument, variables: { limit: 100, nextToken: null } },
  result: { data: { users: { __typename: 'UserConnection', items: USERS, nextToken: null } } },
};

function entry(id: string, fields: Partial<{ action: string; actorId: string; targetId: string; outcome: string | null; sourceIp: string | null; details: string | null; at: string }> = {}) {
  return {
    __typename: 'AuditEntry',
    id,
    at: '2025-03-10T08:00:00.000Z',
    actorId: ADMIN_ID,
    action: 'USER_ROLE_CHANGED',
    targetId: 'u-ana',
    outcome: null,
    sourceIp: null,
    details: '{}',
    ...fields,
  };
}

const log = (filter: AuditFilter | null, items: object[], nextToken: string | null = null, after?: string): MockLink.MockedResponse => ({
  request: { query: AuditLogDocument, variables: { filter, limit: 50, ...(after ? { nextToken: after } : {}) } },
  result: { data: { auditLog: { __typename: 'AuditEntryConnection', items, nextToken } } },
});

const renderAudit = (mocks: MockLink.MockedResponse[]) => renderWithApp(<AdminPage params={{ section: 'audit' }} />, { mocks: [directory, ...mocks], session: adminSession() });

describe('the audit log', () => {
  it('names people instead of ids and shows outcome, source address and readable details', async () => {
    renderAudit([
      log(null, [
        entry('e1', { action: 'VERIFICATION_REVIEWED', targetId: 's-123', outcome: 'APPROVED', sourceIp: '203.0.113.7', details: JSON.stringify({ note: 'Matches the ID', similarity: 84.5 }) }),
        entry('e2', { action: 'RATE_LIMITED', actorId: 'session:s-9', targetId: 's-9', outcome: 'RATE_LIMITED', details: JSON.stringify({ retryAfterSeconds: 900 }) }),
        entry('e3', { action: 'TASK_CREATED', targetId: 't-1', details: JSON.stringify({ title: 'Ship it', assigneeId: 'u-ana' }) }),
      ]),
    ]);
    const reviewed = await screen.findByRole('row', { name: /Verification reviewed/ });
    await waitFor(() => expect(within(reviewed).getByText('Ada Admin')).toBeTruthy());
    expect(within(reviewed).getByText('admin@example.com')).toBeTruthy();
    expect(within(reviewed).getByText('APPROVED')).toBeTruthy();
    expect(within(reviewed).getByText('203.0.113.7')).toBeTruthy();
    expect(within(reviewed).getByText('Note').nextElementSibling!.textContent).toBe('Matches the ID');
    expect(within(reviewed).getByText('Similarity').nextElementSibling!.textContent).toBe('84.5');

    const limited = screen.getByRole('row', { name: /Rate limited/ });
    expect(within(limited).getByText('Person verifying')).toBeTruthy();
    expect(within(limited).getByText('Retry after seconds').nextElementSibling!.textContent).toBe('900');

    const created = screen.getByRole('row', { name: /Task created/ });
    expect(within(created).getByText('Task “Ship it”')).toBeTruthy();
    expect(within(created).getByText('Assignee').nextElementSibling!.textContent).toBe('Ana Lima');
  });

  it('sends the chosen action, person and time range as the filter', async () => {
    const from = '2025-03-01T09:00';
    const to = '2025-03-02T17:30';
    const filter = {
      action: 'USER_ROLE_CHANGED' as const,
      actorId: ADMIN_ID,
      from: new Date(from).toISOString(),
      to: new Date(new Date(to).getTime() + 59_999).toISOString(),
    };
    renderAudit([log(null, [entry('e1'), entry('e2', { action: 'SIGNED_OUT' })]), log(filter, [entry('e1')])]);
    await screen.findByRole('row', { name: /Signed out/ });

    const form = screen.getByRole('form', { name: 'Audit log filters' });
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: 'Action' }), 'Role changed');
    await waitFor(() => expect(within(form).getByRole('option', { name: 'Ada Admin (admin@example.com)' })).toBeTruthy());
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: 'Who' }), 'Ada Admin (admin@example.com)');
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: from } });
    fireEvent.change(within(form).getByLabelText('To'), { target: { value: to } });
    await userEvent.click(within(form).getByRole('button', { name: 'Apply filters' }));

    // Only the filtered answer (the mock for exactly these variables) has one entry and no "Signed out".
    expect(await screen.findByText('1 entry shown.')).toBeTruthy();
    expect(screen.queryByRole('row', { name: /Signed out/ })).toBeNull();
  });

  it('refuses a range that ends before it starts, without asking the API', async () => {
    renderAudit([log(null, [entry('e1')])]);
    await screen.findByRole('row', { name: /Role changed/ });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2025-03-05T10:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2025-03-01T10:00' } });
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByRole('alert').textContent).toMatch(/before/);
    expect(screen.getByRole('row', { name: /Role changed/ })).toBeTruthy();
  });

  it('loads older entries with the next token, under the same filter', async () => {
    renderAudit([log(null, [entry('e1')], 'page-2'), log(null, [entry('e2', { action: 'SIGNED_OUT' })], null, 'page-2')]);
    await userEvent.click(await screen.findByRole('button', { name: 'Load more entries' }));
    expect(await screen.findByRole('row', { name: /Signed out/ })).toBeTruthy();
    expect(screen.getByRole('row', { name: /Role changed/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more entries' })).toBeNull();
  });

  it('says when nothing matches', async () => {
    renderAudit([log(null, [])]);
    expect(await screen.findByRole('heading', { name: 'The audit log is empty' })).toBeTruthy();
  });
});

describe('audit targets', () => {
  it('name an invitation by its id, as the API audits it (never by an email)', async () => {
    const { targetOf } = await import('../src/admin/audit/audit-format.ts');
    expect(targetOf({ action: 'USER_INVITED', targetId: '5b1f0c2e-9d0a-4f4e-8a53-2c1d6f0e9b11', details: '{"role":"MEMBER"}' }, new Map())).toEqual({
      label: 'Invitation',
      detail: '5b1f0c2e-9d0a-4f4e-8a53-2c1d6f0e9b11',
    });
    expect(targetOf({ action: 'INVITATION_REVOKED', targetId: 'abc', details: null }, new Map()).label).toBe('Invitation');
  });
});
