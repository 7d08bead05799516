/**
 * The bell in the header: how many notifications arrived since the person last looked, and a
 * list of the latest (newest first), each a link to its task. New ones arrive live over
 * onNotification; the list is read again each time it opens, so nothing missed while offline
 * stays missing.
 */
import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from '../app/router.tsx';
import { formatWhen } from '../board/format.ts';
import { NotificationsDocument, OnNotificationDocument, type NotificationFieldsFragment } from '../generated/graphql.ts';
import { useSession } from '../session/useSession.ts';
import { isUnread, readSeen, writeSeen } from './seen.ts';
import './notifications.css';

type Notification = NotificationFieldsFragment;

const PAGE = 30;

export function NotificationsMenu() {
  const session = useSession();
  if (!session) return null;
  return <Menu userId={session.userId} />;
}

function Menu({ userId }: { userId: string }) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(() => readSeen(userId));
  // While the list is open, what was unread when it opened stays marked as new.
  const [newSince, setNewSince] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const { data, error, loading, refetch } = useQuery(NotificationsDocument, { variables: { limit: PAGE }, fetchPolicy: 'cache-and-network' });
  const [arrived, setArrived] = useState<Notification[]>([]);
  useSubscription(OnNotificationDocument, {
    onData: ({ data: result }) => {
      const notification = result.data?.onNotification;
      if (!notification) return;
      setArrived((list) => (list.some((n) => n.id === notification.id) ? list : [notification, ...list]));
      setAnnouncement(`New notification: ${notification.message}`);
    },
  });

  const items = useMemo(() => newestFirst([...arrived, ...(data?.notifications.items ?? [])]), [arrived, data]);
  const unread = items.filter((n) => isUnread(n.createdAt, seen)).length;

  const show = () => {
    setOpen(true);
    setNewSince(seen);
    const newest = items[0]?.createdAt;
    if (newest) {
      writeSeen(userId, newest);
      setSeen(newest);
    }
    void refetch().catch(() => undefined);
  };
  const hide = (restoreFocus = true) => {
    setOpen(false);
    if (restoreFocus) button.current?.focus();
  };

  // What arrives while the list is open is seen at once.
  useEffect(() => {
    const newest = items[0]?.createdAt;
    if (open && newest && isUnread(newest, seen)) {
      writeSeen(userId, newest);
      setSeen(newest);
    }
  }, [open, items, seen, userId]);

  // Close on a click elsewhere.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) hide(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <div
      className="notif"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault();
          hide();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="notif-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? hide(false) : show())}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="notif-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <span className="visually-hidden" role="status">
        {announcement}
      </span>
      <div id={panelId} className="notif-panel" hidden={!open}>
        <h2 className="notif-title">Notifications</h2>
        {error && items.length === 0 ? (
          <p className="notif-empty">Notifications cannot be loaded right now. They will appear when SecureTask is reachable.</p>
        ) : loading && items.length === 0 ? (
          <p className="notif-empty">Loading…</p>
        ) : items.length === 0 ? (
          <p className="notif-empty">Nothing yet. You will hear here when someone assigns you a task or changes one of yours.</p>
        ) : (
          <ul className="notif-list">
            {items.map((n) => {
              const fresh = isUnread(n.createdAt, newSince);
              return (
                <li key={n.id} className={fresh ? 'notif-item notif-item-new' : 'notif-item'}>
                  <Link to={taskAddress(n)} className="notif-link" onClick={() => hide(false)}>
                    <KindIcon kind={n.kind} />
                    <span className="notif-text">
                      {fresh && <span className="visually-hidden">New: </span>}
                      <span className="notif-message">{n.message}</span>
                      <time className="notif-time" dateTime={n.createdAt}>
                        {formatWhen(n.createdAt)}
                      </time>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

/** Newest first, each once (a notification can come both live and from the list). */
function newestFirst(list: Notification[]): Notification[] {
  const byId = new Map<string, Notification>();
  for (const n of list) if (!byId.has(n.id)) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.sequence - a.sequence);
}

/** Line icons per kind (SVG: emoji fonts are missing on many Linux desktops). */
const KIND_PATHS: Record<string, string> = {
  ASSIGNED: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8a7 7 0 0 1 14 0',
  UPDATED: 'M4 20h4L19 9l-4-4L4 16v4Zm9-13 4 4',
  DELETED: 'M5 7h14M10 7V4h4v3m-7 0 1 13h8l1-13',
  COMMENTED: 'M4 5h16v11H9l-5 4V5Z',
  DUE_SOON: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm0-12v4l3 2',
};

function KindIcon({ kind }: { kind: string }) {
  return (
    <svg className={`notif-kind notif-kind-${kind.toLowerCase()}`} width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d={KIND_PATHS[kind] ?? KIND_PATHS.UPDATED}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        fill="currentColor"
      />
    </svg>
  );
}

/** The task's page on the task's own board (the board in use, for notifications from before boards). */
function taskAddress({ taskId, boardId }: { taskId: string; boardId?: string | null }): string {
  const task = `/board/${encodeURIComponent(taskId)}`;
  return boardId ? `${task}?board=${encodeURIComponent(boardId)}` : task;
}
