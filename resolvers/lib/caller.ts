import { util, type Context } from '@aws-appsync/utils';

/** The signed-in user, as the Lambda authorizer put them in `resolverContext`. */
export interface Caller {
  userId: string;
  email: string;
  role: string;
  /** When the caller's session token expires (ISO 8601). */
  tokenExpiresAt?: string;
}

/** The roles that may use the board at all. */
export const BOARD_ROLES = ['ADMIN', 'MEMBER'];

/** The caller of a Lambda-authorized request; anything else is refused. */
export function requireCaller(ctx: Context): Caller {
  const identity = ctx.identity as { resolverContext?: Caller } | null;
  const caller = identity ? identity.resolverContext : undefined;
  if (!caller || !caller.userId) {
    util.unauthorized();
  }
  return caller as Caller;
}

/** The caller, who must hold a board role (ADMIN or MEMBER); any other role gets `Unauthorized`. */
export function requireBoardUser(ctx: Context): Caller {
  const caller = requireCaller(ctx);
  if (BOARD_ROLES.indexOf(caller.role) < 0) {
    util.error('your role may not use the board', 'Unauthorized');
  }
  return caller;
}

/** Raises the data source's error, if there is one, as the field's error. */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
}
