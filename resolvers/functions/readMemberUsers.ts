import { runtime, util, type Context } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';

type Membership = { boardId: string; userId: string; role: string; addedAt: string };
type User = { id: string; name?: string; email: string; status: string };

/**
 * The users behind `ctx.stash.members`, joined: each membership with its person's name and email,
 * in `ctx.stash.people`. Members whose user is gone (erased) are left out.
 */
export function request(ctx: Context) {
  const members = ctx.stash.members as Membership[];
  if (members.length === 0) {
    ctx.stash.people = [];
    runtime.earlyReturn([]);
  }
  return batchGet({ tables: { [ctx.env.USERS_TABLE]: { keys: members.map((m) => ({ id: m.userId })) } } } as never);
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const users = ((ctx.result.data[ctx.env.USERS_TABLE] || []) as (User | null)[]).filter((user) => !!user) as User[];
  const members = ctx.stash.members as Membership[];
  const people = members
    .map((member) => {
      const found = users.filter((user) => user.id === member.userId);
      return found.length > 0 ? { ...member, name: found[0].name || null, email: found[0].email, status: found[0].status } : null;
    })
    .filter((person) => person !== null);
  ctx.stash.people = people;
  return people;
}
