import type { Context } from '@aws-appsync/utils';

/**
 * A board's active members with only their id, name and email: what a member needs to read a
 * card, mention someone and pick an assignee (pipeline: readMembers, readMemberUsers).
 */
export function request() {
  return {};
}

export function response(ctx: Context) {
  const people = ctx.stash.people as { userId: string; name: string | null; email: string; status: string }[];
  return {
    items: people.filter((p) => p.status === 'ACTIVE').map((p) => ({ id: p.userId, name: p.name, email: p.email })),
    nextToken: ctx.stash.nextToken || null,
  };
}
