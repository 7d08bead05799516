import { util } from '@aws-appsync/utils';

/** Every task sits on this board (one board per deployment for now). */
export const BOARD = 'main';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10000;
export const LABELS_MAX = 10;
export const LABEL_MAX = 32;

/** The fields a caller may set on a task. */
export interface TaskFields {
  title?: string | null;
  description?: string | null;
  status?: string | null;
  priority?: string | null;
  assigneeId?: string | null;
  dueDate?: string | null;
  labels?: string[] | null;
}

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
