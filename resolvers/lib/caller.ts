import { util, type Context } from '@aws-appsync/utils';

/** The signed-in user, as the Lambda authorizer put them in `resolverContext`. */
export interface Caller {
  userId: string;
  email: string;
  role: string;
}

/** The caller of a Lambda-authorized request; anything else is refused. */
export function requireCaller(ctx: Context): Caller {
  const identity = ctx.identity as { resolverContext?: Caller } | null;
  const caller = identity ? identity.resolverContext : undefined;
  if (!caller || !caller.userId) {
    util.unauthorized();
  }
  return caller as Caller;
}

/** Raises the data source's error, if there is one, as the field's error. */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
}
