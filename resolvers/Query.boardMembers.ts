import type { Context } from '@aws-appsync/utils';

/** A board's members with their board roles, names and emails (pipeline: readMembers, readMemberUsers). */
export function request() {
  return {};
}

export function response(ctx: Context) {
  const people = ctx.stash.people as { boardId: string; userId: string; role: string; name: string | null; email: string; addedAt: string }[];
  return {
    items: people.map((p) => ({ boardId: p.boardId, userId: p.userId, role: p.role, name: p.name, email: p.email, addedAt: p.addedAt })),
    nextToken: ctx.stash.nextToken || null,
  };
}
