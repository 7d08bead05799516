import { util } from '@aws-appsync/utils';

/** How long an invitation stays open: 7 days. */
export const INVITATION_SECONDS = 7 * 24 * 3600;

/** Emails are kept lower case and trimmed, as the Users table holds them. */
export function normalEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (normal.length < 3 || normal.length > 254) {
    util.error('email must be 3 to 254 characters', 'ValidationError', null, { field: 'email' });
  }
  return normal;
}

/** Admins may not take away their own access (role, status, existence): the last admin would lock everyone out. */
export function notSelf(callerId: string, userId: string, what: string): void {
  if (callerId === userId) {
    util.error(`admins cannot ${what} themselves`, 'ValidationError', null, { field: 'userId' });
  }
}
