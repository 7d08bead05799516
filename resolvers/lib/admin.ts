import { util, type Context } from '@aws-appsync/utils';
import { requireCaller, type Caller } from './caller';

/** The caller, who must be an admin; anyone else gets `Unauthorized` and nothing happens. */
export function requireAdmin(ctx: Context): Caller {
  const caller = requireCaller(ctx);
  if (caller.role !== 'ADMIN') {
    util.error('only admins may do this', 'Unauthorized');
  }
  return caller;
}
