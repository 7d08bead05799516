/**
 * What to do when a save meets a newer version of the task (updateTask's ConflictError): compare
 * the version the person opened (base), what they want (mine) and the task as it is now (theirs),
 * field by field, and turn their decision into the updateTask input that carries it out.
 *
 * - keep theirs: nothing is sent, their version stands;
 * - apply mine: every field the person may change takes their value, at the current version;
 * - merge: per field; by default the person's value where they changed it, theirs elsewhere.
 */
import type { UpdateTaskInput } from '../generated/graphql.ts';
import { draftOf, sameValue, updateInput, type TaskDraft } from './draft.ts';
import { EDITABLE_FIELDS, type EditableField, type Task } from './model.ts';

export type Side = 'theirs' | 'mine';

/** One field on which the person's version and the current one differ. */
export interface FieldDifference {
  field: EditableField;
  base: TaskDraft[EditableField];
  theirs: TaskDraft[EditableField];
  mine: TaskDraft[EditableField];
  changedByMe: boolean;
  changedByThem: boolean;
  /** False when the person may not change this field (members): theirs stays whatever they pick. */
  choosable: boolean;
  /** The default of a merge: mine where I changed the field, theirs elsewhere. */
  suggested: Side;
}

export interface Conflict {
  /** The task as it was when the person opened it. */
  base: Task;
  /** The task as it is now (the ConflictError's data). */
  theirs: Task;
  mine: TaskDraft;
  differences: FieldDifference[];
}

export type Resolution = { kind: 'theirs' } | { kind: 'mine' } | { kind: 'merge'; choices: Partial<Record<EditableField, Side>> };

/** Compares the three versions; `editable` are the fields this person may change. */
export function describeConflict(base: Task, mine: TaskDraft, theirs: Task, editable: readonly EditableField[]): Conflict {
  const baseDraft = draftOf(base);
  const theirsDraft = draftOf(theirs);
  const differences = EDITABLE_FIELDS.filter((field) => !sameValue(field, mine, theirsDraft)).map((field): FieldDifference => {
    const changedByMe = !sameValue(field, baseDraft, mine);
    const choosable = editable.includes(field);
    return {
      field,
      base: baseDraft[field],
      theirs: theirsDraft[field],
      mine: mine[field],
      changedByMe,
      changedByThem: !sameValue(field, baseDraft, theirsDraft),
      choosable,
      suggested: changedByMe && choosable ? 'mine' : 'theirs',
    };
  });
  return { base, theirs, mine, differences };
}

/** The choice a merge starts from, per differing field. */
export function suggestedChoices(conflict: Conflict): Record<EditableField, Side> {
  return Object.fromEntries(conflict.differences.map((d) => [d.field, d.suggested])) as Record<EditableField, Side>;
}

/** The task's fields after a resolution. */
export function resolvedDraft(conflict: Conflict, resolution: Resolution): TaskDraft {
  const result: TaskDraft = draftOf(conflict.theirs);
  if (resolution.kind === 'theirs') return result;
  for (const difference of conflict.differences) {
    if (!difference.choosable) continue;
    const side = resolution.kind === 'mine' ? 'mine' : resolution.choices[difference.field] ?? difference.suggested;
    if (side === 'mine') (result as unknown as Record<string, unknown>)[difference.field] = conflict.mine[difference.field];
  }
  return result;
}

/** The updateTask input carrying out a resolution (at the current version); null: nothing to send. */
export function resolutionInput(conflict: Conflict, resolution: Resolution): UpdateTaskInput | null {
  if (resolution.kind === 'theirs') return null;
  return updateInput(conflict.theirs, resolvedDraft(conflict, resolution));
}

/**
 * The current task from a ConflictError's `data`: the stored item, where absent fields are
 * missing rather than null. Undefined when it is not a task.
 */
export function taskFromConflict(data: unknown): Task | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const item = data as Record<string, unknown>;
  if (typeof item.id !== 'string' || typeof item.version !== 'number' || typeof item.title !== 'string') return undefined;
  const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : null);
  return {
    id: item.id,
    // The stored item names its board `board`; the API's Task calls it `boardId`.
    boardId: text('board') ?? text('boardId') ?? '',
    key: text('key'),
    title: item.title,
    description: text('description'),
    status: item.status as Task['status'],
    priority: item.priority as Task['priority'],
    assigneeId: text('assigneeId'),
    dueDate: text('dueDate'),
    labels: Array.isArray(item.labels) ? item.labels.filter((l): l is string => typeof l === 'string') : [],
    rank: text('rank'),
    completedAt: text('completedAt'),
    createdBy: text('createdBy') ?? '',
    createdAt: text('createdAt') ?? '',
    updatedBy: text('updatedBy') ?? '',
    updatedAt: text('updatedAt') ?? '',
    version: item.version,
  };
}
