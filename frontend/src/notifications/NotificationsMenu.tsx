// Placeholder until notifications are built (issue 7, in progress).
export function NotificationsMenu() {
  return null;
}
