/**
 * The notifications menu in the header: the unread count, the list newest first with links to the
 * tasks, new ones arriving live, and "read" once the person has opened the list.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotificationsDocument, OnNotificationDocument } from '../src/generated/graphql.ts';
import { NotificationsMenu } from '../src/notifications/NotificationsMenu.tsx';
import { ANA, signedIn } from './board-fixtures.ts';
import { renderWithApp } from './render.tsx';

const notification = (id: string, createdAt: string, message: string, taskId = 't1', boardId: string | null = 'b1') => ({
  __typename: 'Notification',
  id,
  kind: 'UPDATED',
  boardId,
  taskId,
  message,
  sequence: Number(id.replace(/\D/g, '')),
  createdAt,
});

/** From before boards: no board of its own. */
const older = notification('n1', '2026-03-01T09:00:00.000Z', 'Ben changed priority of "Fix login"', 't1', null);
/** On another board than the one in use: the link goes to that board. */
const newer = notification('n2', '2026-03-01T10:00:00.000Z', 'Ben assigned you "Write docs"', 't2', 'b2');

const list = (items: object[]): MockLink.MockedResponse => ({
  request: { query: NotificationsDocument, variables: { limit: 30 } },
  result: { data: { notifications: { __typename: 'NotificationConnection', items, nextToken: null } } },
  maxUsageCount: 5,
});

/** A subscription that pushes `item` after `delay` ms (Infinity: stays quiet). */
const pushed = (item: object | null, delay: number): MockLink.MockedResponse => ({
  request: { query: OnNotificationDocument },
  result: { data: { onNotification: item } },
  delay,
});

beforeEach(() => localStorage.clear());

describe('the notifications menu', () => {
  it('counts what is unread, lists it newest first with links to each task on its own board, and marks it read once opened', async () => {
    const user = userEvent.setup();
    renderWithApp(<NotificationsMenu />, { mocks: [list([newer, older]), pushed(null, Infinity)], session: signedIn(ANA) });
    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    expect(bell.getAttribute('aria-expanded')).toBe('false');

    await user.click(bell);
    expect(bell.getAttribute('aria-expanded')).toBe('true');
    const links = within(document.getElementById(bell.getAttribute('aria-controls')!)!).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/board/t2?board=b2', '/board/t1']);
    expect(links[0].textContent).toContain('New: Ben assigned you "Write docs"');
    expect(screen.getByRole('button', { name: 'Notifications' })).toBe(bell);

    await user.keyboard('{Escape}');
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(bell);
    expect(localStorage.getItem(`securetask.notifications.seen.${ANA}`)).toBe(newer.createdAt);
  });

  it('counts only what came after the last look, and adds new ones as they arrive', async () => {
    localStorage.setItem(`securetask.notifications.seen.${ANA}`, older.createdAt);
    const live = notification('n3', '2026-03-01T11:00:00.000Z', 'Ben deleted "Old chore"', 't3');
    renderWithApp(<NotificationsMenu />, { mocks: [list([newer, older]), pushed(live, 30)], session: signedIn(ANA) });
    expect(await screen.findByRole('button', { name: 'Notifications, 1 unread' })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications, 2 unread' })).toBeTruthy());
    expect(screen.getByRole('status').textContent).toBe('New notification: Ben deleted "Old chore"');
    await userEvent.click(screen.getByRole('button', { name: 'Notifications, 2 unread' }));
    expect(screen.getAllByRole('link').map((l) => l.getAttribute('href'))).toEqual(['/board/t3?board=b1', '/board/t2?board=b2', '/board/t1']);
  });

  it('says when there is nothing yet', async () => {
    renderWithApp(<NotificationsMenu />, { mocks: [list([]), pushed(null, Infinity)], session: signedIn(ANA) });
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications' }));
    expect(await screen.findByText(/Nothing yet/)).toBeTruthy();
  });
});
