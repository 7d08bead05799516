/**
 * A task's comments, oldest first, with a box to add one; people edit and delete their own
 * (admins delete any). Others' new, edited and deleted comments arrive live (live-comments.ts)
 * and are announced politely. Limits as the API has them: 1 to 5,000 characters.
 */
import { useCurrentBoard } from '../boards/current-board.tsx';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { apiError } from '../data/errors.ts';
import {
  AddCommentDocument,
  DeleteCommentDocument,
  EditCommentDocument,
  TaskCommentsDocument,
  type CommentFieldsFragment,
} from '../generated/graphql.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { toast } from '../ui/toasts.tsx';
import { formatInstant, formatWhen, personName, type People } from './format.ts';
import { foldComment, useLiveComments } from './live-comments.ts';
import { mentionedIds, mentionsByName } from './mentions.ts';
import { MentionTextarea } from './MentionTextarea.tsx';
import { canComment, canDeleteComment, LIMITS, type Viewer } from './model.ts';
import { pageOf, useAllPages } from './use-all-pages.ts';

type Comment = CommentFieldsFragment;

/** What is wrong with a comment body, or undefined. */
export function commentProblem(body: string): string | undefined {
  const length = body.trim().length;
  if (length === 0) return 'Write something first.';
  if (length > LIMITS.comment)
    return `Keep a comment to ${LIMITS.comment.toLocaleString('en-US')} characters (it has ${length.toLocaleString('en-US')}).`;
  return undefined;
}

export function TaskComments({ taskId, people, viewer }: { taskId: string; people: People; viewer: Viewer | null }) {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const headingId = useId();
  const { items, error, reload, setItems } = useAllPages<Comment>(
    async (nextToken) =>
      pageOf((await client.query({ query: TaskCommentsDocument, variables: { boardId, taskId, nextToken }, fetchPolicy: 'no-cache' })).data?.comments),
    taskId,
  );
  const replace = (comment: Comment) => setItems((list) => list?.map((c) => (c.id === comment.id ? comment : c)));
  const heading = useRef<HTMLHeadingElement>(null);
  const drop = (id: string) => {
    setItems((list) => list?.filter((c) => c.id !== id));
    // Its buttons had the focus and are gone: the list's heading takes it.
    requestAnimationFrame(() => heading.current?.focus());
  };
  const add = (comment: Comment) => setItems((list) => foldComment(list ?? [], comment));
  const [announcement, setAnnouncement] = useState('');
  useLiveComments(
    client,
    boardId,
    taskId,
    (pushed) => {
      setItems((list) => (list ? foldComment(list, pushed) : list));
      if (pushed.authorId !== viewer?.userId) {
        const who = personName(people, pushed.authorId, viewer?.userId);
        setAnnouncement(pushed.deletedAt ? `${who} deleted a comment.` : pushed.editedAt ? `${who} edited a comment.` : `${who} commented: ${pushed.body.slice(0, 140)}`);
      }
    },
    reload,
  );

  return (
    <section className="board-drawer-section" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1} className="board-focus-target">
        Comments{items && items.length > 0 ? ` (${items.length})` : ''}
      </h3>
      {error ? (
        <ErrorBanner error={error} onRetry={reload} />
      ) : !items ? (
        <Spinner label="Loading comments…" />
      ) : items.length === 0 ? (
        <p className="board-muted">No comments yet.</p>
      ) : (
        <ol className="board-comments">
          {items.map((comment) => (
            <CommentItem key={comment.id} taskId={taskId} comment={comment} people={people} viewer={viewer} onChanged={replace} onDeleted={drop} />
          ))}
        </ol>
      )}
      {canComment(viewer) && <NewComment taskId={taskId} people={people} me={viewer?.userId} onAdded={add} />}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </section>
  );
}

interface CommentItemProps {
  taskId: string;
  comment: Comment;
  people: People;
  viewer: Viewer | null;
  onChanged(comment: Comment): void;
  onDeleted(id: string): void;
}

function CommentItem({ taskId, comment, people, viewer, onChanged, onDeleted }: CommentItemProps) {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const own = comment.authorId === viewer?.userId;
  const mayDelete = canDeleteComment(viewer, comment.authorId);
  // The buttons swap places (Edit ⇄ the edit form, Delete ⇄ "Yes, delete / Keep it"): focus
  // follows to the button that now stands where the pressed one was.
  const actions = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    const name = focusNext.current;
    if (!name) return;
    focusNext.current = null;
    actions.current?.querySelector<HTMLElement>(`[data-focus="${name}"]`)?.focus();
  }, [editing, confirming]);
  const remove = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await client.mutate({ mutation: DeleteCommentDocument, variables: { boardId, taskId, id: comment.id } });
      onDeleted(comment.id);
      toast('Comment deleted.', 'success');
    } catch (failure) {
      toast(`The comment was not deleted: ${apiError(failure).message}`, 'error');
      setBusy(false);
      focusNext.current = 'delete';
      setConfirming(false);
    }
  };
  return (
    <li className="board-comment">
      <p className="board-comment-head">
        <strong>{personName(people, comment.authorId, viewer?.userId)}</strong>{' '}
        <time dateTime={comment.createdAt} title={formatInstant(comment.createdAt)} className="board-muted">
          {formatWhen(comment.createdAt)}
        </time>
        {comment.editedAt && (
          <span className="board-muted" title={`Edited ${formatInstant(comment.editedAt)}`}>
            {' '}
            · edited
          </span>
        )}
      </p>
      {editing ? (
        <EditComment
          taskId={taskId}
          comment={comment}
          people={people}
          me={viewer?.userId}
          onDone={(saved) => {
            focusNext.current = 'edit';
            setEditing(false);
            if (saved) onChanged(saved);
          }}
        />
      ) : (
        <p className="board-comment-body">{comment.body}</p>
      )}
      {!editing && (own || mayDelete) && (
        <div className="board-comment-actions" ref={actions}>
          {confirming ? (
            <>
              <span>Delete this comment?</span>
              <button type="button" className="button button-small button-danger" onClick={remove} aria-disabled={busy || undefined}>
                {busy ? 'Deleting…' : 'Yes, delete'}
              </button>
              <button
                type="button"
                className="button button-small button-quiet"
                data-focus="keep"
                onClick={() => {
                  if (busy) return;
                  focusNext.current = 'delete';
                  setConfirming(false);
                }}
                aria-disabled={busy || undefined}
              >
                Keep it
              </button>
            </>
          ) : (
            <>
              {own && (
                <button type="button" className="button button-small button-quiet" data-focus="edit" onClick={() => setEditing(true)}>
                  Edit comment
                </button>
              )}
              {mayDelete && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  data-focus="delete"
                  onClick={() => {
                    focusNext.current = 'keep';
                    setConfirming(true);
                  }}
                >
                  Delete comment
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}

interface EditCommentProps {
  taskId: string;
  comment: Comment;
  people: People;
  me?: string;
  onDone(saved?: Comment): void;
}

/**
 * The edit form: the same mention box as a new comment's, starting with the people the comment
 * already mentions. The mentions sent replace the comment's (the API notifies only those it had
 * not mentioned before); people no longer on the board keep their mention, as their name cannot
 * be looked for in the text.
 */
function EditComment({ taskId, comment, people, me, onDone }: EditCommentProps) {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const [body, setBody] = useState(comment.body);
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(() => mentionsByName(comment.mentions, people));
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const issue = commentProblem(body);
    setProblem(issue);
    if (issue) return;
    const mentions = [...mentionedIds(body, chosen), ...comment.mentions.filter((id) => !people.has(id))];
    if (body.trim() === comment.body && sameIds(mentions, comment.mentions)) return onDone();
    setBusy(true);
    try {
      const { data } = await client.mutate({ mutation: EditCommentDocument, variables: { boardId, taskId, id: comment.id, body, mentions } });
      onDone(data!.editComment);
    } catch (failure) {
      setProblem(apiError(failure).message);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} noValidate className="board-comment-form">
      <Field label="Edit your comment" hint="Type @ to mention someone on the board: people newly mentioned are notified." error={problem}>
        {(control) => <MentionTextarea control={control} value={body} onChange={setBody} people={people} me={me} chosen={chosen} onMentionsChange={setChosen} autoFocus />}
      </Field>
      <div className="board-comment-actions">
        <button type="submit" className="button button-small button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Saving…' : 'Save comment'}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => !busy && onDone()} aria-disabled={busy || undefined}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function NewComment({ taskId, people, me, onAdded }: { taskId: string; people: People; me?: string; onAdded(comment: Comment): void }) {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const issue = commentProblem(body);
    setProblem(issue);
    if (issue) return;
    setBusy(true);
    try {
      const mentions = mentionedIds(body, chosen);
      const { data } = await client.mutate({ mutation: AddCommentDocument, variables: { boardId, taskId, body, ...(mentions.length ? { mentions } : {}) } });
      onAdded(data!.addComment);
      setBody('');
      setChosen(new Map());
    } catch (failure) {
      setProblem(apiError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="board-comment-form">
      <Field label="Add a comment" hint="Type @ to mention someone on the board: they are notified." error={problem}>
        {(control) => <MentionTextarea control={control} value={body} onChange={setBody} people={people} me={me} chosen={chosen} onMentionsChange={setChosen} />}
      </Field>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {busy ? 'Posting…' : 'Post comment'}
      </button>
    </form>
  );
}
