import { util } from '@aws-appsync/utils';
import type { CreateTaskInput } from '../../api/generated/schema-types';

/** Every task sits on this board (one board per deployment for now). */
export const BOARD = 'main';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10000;
export const LABELS_MAX = 10;
export const LABEL_MAX = 32;

/** The fields a caller may set on a task: those of CreateTaskInput, optional and nullable on update. */
export type TaskFields = { [K in keyof CreateTaskInput]?: CreateTaskInput[K] | null };

/** Checks the limits GraphQL types cannot express; a breach is a `ValidationError`. */
export function validateTaskFields(fields: TaskFields, creating: boolean): void {
  if (creating || fields.title !== undefined) {
    const title = fields.title === null || fields.title === undefined ? '' : fields.title.trim();
    if (title.length < 1 || title.length > TITLE_MAX) {
      util.error(`title must be 1 to ${TITLE_MAX} characters`, 'ValidationError', null, { field: 'title' });
    }
  }
  if (fields.description && fields.description.length > DESCRIPTION_MAX) {
    util.error(`description must be at most ${DESCRIPTION_MAX} characters`, 'ValidationError', null, { field: 'description' });
  }
  const labels = fields.labels;
  if (labels) {
    if (labels.length > LABELS_MAX) {
      util.error(`a task has at most ${LABELS_MAX} labels`, 'ValidationError', null, { field: 'labels' });
    }
    if (labels.some((label) => label.trim().length < 1 || label.length > LABEL_MAX)) {
      util.error(`each label must be 1 to ${LABEL_MAX} characters`, 'ValidationError', null, { field: 'labels' });
    }
  }
}
