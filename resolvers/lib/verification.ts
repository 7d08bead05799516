import type { Context } from '@aws-appsync/utils';
import { functionAnswer, invokeFunction } from './function-field';

/** Every verification field is answered by the verification function (see lib/function-field.ts). */
export function request(ctx: Context) {
  return invokeFunction(ctx);
}

export function response(ctx: Context) {
  return functionAnswer(ctx, 'The verification service failed; please try again.');
}
