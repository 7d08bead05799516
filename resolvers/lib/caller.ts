import { util, type Context } from '@aws-appsync/utils';
import { boardRoleIn, permissionsOf } from '../../rules/board-access';
import { LIMITS } from '../../rules/task-rules';

/** The signed-in user, as the Lambda authorizer put them in `resolverContext`. */
export interface Caller {
  userId: string;
  email: string;
  /** The installation role (ADMIN administers boards and users). */
  role: string;
  /** When the caller's session token expires (ISO 8601). */
  tokenExpiresAt?: string;
  /** The caller's boards and board roles, "boardId:ROLE" pairs (rules/board-access.ts). */
  boards?: string;
}

/** A signed-in user acting on one board, with their role there. */
export interface BoardCaller extends Caller {
  boardId: string;
  boardRole: string;
}

/** What the authorizer says of a dashboard token: one board's figures, nothing else. */
interface DashboardContext {
  dashboardBoardId?: string;
  dashboardTokenId?: string;
}

function context(ctx: Context): (Caller & DashboardContext) | undefined {
  const identity = ctx.identity as { resolverContext?: Caller & DashboardContext } | null;
  return identity ? identity.resolverContext : undefined;
}

/** The caller of a Lambda-authorized request made with a session token; anything else is refused. */
export function requireCaller(ctx: Context): Caller {
  const caller = context(ctx);
  if (!caller || !caller.userId) {
    util.unauthorized();
  }
  // Fail closed on an installation role this code does not know (the authorizer passes roles on).
  if (caller.role !== 'ADMIN' && caller.role !== 'MEMBER') {
    util.error('your role does not allow this', 'Unauthorized');
  }
  return caller as Caller;
}

/** A board id argument: 1 to 128 characters, or a `ValidationError`. */
export function boardIdArg(boardId: string): string {
  if (!boardId || boardId.length > LIMITS.id) {
    util.error(`boardId must be 1 to ${LIMITS.id} characters`, 'ValidationError', null, { field: 'boardId' });
  }
  return boardId;
}

/**
 * The caller and their role on `boardId`, who must be a member who may read it. Someone who is
 * not a member hears the same words whether or not the board exists.
 */
export function requireBoardReader(ctx: Context, boardId: string): BoardCaller {
  const caller = requireCaller(ctx);
  const id = boardIdArg(boardId);
  const role = boardRoleIn(caller.boards, id);
  if (!permissionsOf(role).read) {
    util.error('you are not a member of this board', 'Unauthorized');
  }
  return { ...caller, boardId: id, boardRole: role as string };
}

/**
 * The board a request may read the figures of: the caller's board when they are a member, or the
 * board of the dashboard token the request carries (which the authorizer checked).
 */
export function requireFiguresReader(ctx: Context, boardId: string): string {
  const caller = context(ctx);
  if (caller && !caller.userId && caller.dashboardBoardId) {
    if (caller.dashboardBoardId !== boardId) {
      util.error('this dashboard token is for another board', 'Unauthorized');
    }
    return boardId;
  }
  return requireBoardReader(ctx, boardId).boardId;
}

/** Raises the data source's error, if there is one, as the field's error. */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
}
