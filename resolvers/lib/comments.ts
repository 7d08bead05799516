import { util } from '@aws-appsync/utils';
import { LIMITS, commentBodyProblem } from '../../rules/task-rules';
import { requireId } from './paging';

/** A comment body, trimmed: 1 to 5,000 characters, or a `ValidationError`. */
export function commentBody(body: string): string {
  const problem = commentBodyProblem(body);
  if (problem) {
    util.error(problem.message, 'ValidationError', null, { field: problem.field });
  }
  return body.trim();
}

/** The people a comment mentions: distinct ids, at most 10 (that they are on the board, the notifier checks). */
export function mentionList(mentions: string[] | null | undefined): string[] {
  const ids = (mentions || []).map((id) => requireId(id, 'mentions'));
  const distinct = ids.filter((id, i) => ids.indexOf(id) === i);
  if (distinct.length > LIMITS.mentions) {
    util.error(`a comment may mention at most ${LIMITS.mentions} people`, 'ValidationError', null, { field: 'mentions' });
  }
  return distinct;
}
