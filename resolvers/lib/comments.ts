import { util } from '@aws-appsync/utils';

export const COMMENT_MAX = 5000;

/** A comment body: 1 to 5,000 characters after trimming, or a `ValidationError`. */
export function commentBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.length < 1 || trimmed.length > COMMENT_MAX) {
    util.error(`a comment must be 1 to ${COMMENT_MAX} characters`, 'ValidationError', null, { field: 'body' });
  }
  return trimmed;
}
