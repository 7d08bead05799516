/**
 * The task drawer's comments, live: others' new, edited and deleted comments arrive through
 * `onComment` (here a hand-driven stream in place of the real-time link) and change the list
 * without a reload, each announced politely; the person's own comment, pushed back, is not
 * listed twice. `@name` mentions: the autocomplete, by keyboard, and the ids sent, in a new
 * comment and in an edited one.
 */
import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink } from '@apollo/client/testing';
import { getMainDefinition } from '@apollo/client/utilities';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigContext } from '../src/app/config-context.ts';
import { TaskComments } from '../src/board/TaskComments.tsx';
import { foldComment } from '../src/board/live-comments.ts';
import { insertMention, mentionCandidates, mentionedIds, mentionQueryAt, mentionsByName } from '../src/board/mentions.ts';
import { CurrentBoardContext } from '../src/boards/current-board.tsx';
import { createCache } from '../src/data/client.ts';
import { AddCommentDocument, EditCommentDocument, TaskCommentsDocument, type CommentFieldsFragment } from '../src/generated/graphql.ts';
import { SessionContext } from '../src/session/useSession.ts';
import { ANA, BEN, signedIn } from './board-fixtures.ts';
import { testBoard, testConfig } from './render.tsx';

const comment = (overrides: Partial<CommentFieldsFragment> & { id: string }) =>
  ({
    __typename: 'Comment',
    boardId: testBoard.id,
    taskId: 't1',
    authorId: BEN,
    body: 'A comment',
    mentions: [],
    createdAt: '2026-12-01T10:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    ...overrides,
  }) as CommentFieldsFragment;

function renderComments(extra: MockLink.MockedResponse[] = [], more: CommentFieldsFragment[] = []) {
  const pushes = new Subject<ApolloLink.Result>();
  const subscribed: Record<string, unknown>[] = [];
  const mocks = new MockLink([
    {
      request: { query: TaskCommentsDocument, variables: { boardId: testBoard.id, taskId: 't1', nextToken: null } },
      result: { data: { comments: { __typename: 'CommentConnection', items: [comment({ id: 'c1', body: 'First!' }), ...more], nextToken: null } } },
    },
    {
      request: { query: AddCommentDocument, variables: { boardId: testBoard.id, taskId: 't1', body: 'Mine' } },
      result: { data: { addComment: comment({ id: 'c3', authorId: ANA, body: 'Mine', createdAt: '2026-12-01T10:05:00.000Z' }) } },
    },
    ...extra,
  ]);
  const live = new ApolloLink((operation) => {
    subscribed.push(operation.variables);
    return pushes.asObservable();
  });
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  const client = new ApolloClient({ link: ApolloLink.split(isSubscription, live, mocks), cache: createCache() });
  const people = new Map([
    [ANA, 'Ana'],
    [BEN, 'Ben'],
  ]);
  render(
    <ConfigContext.Provider value={testConfig}>
      <SessionContext.Provider value={signedIn(ANA)}>
        <ApolloProvider client={client}>
          <CurrentBoardContext.Provider value={testBoard}>
            <TaskComments taskId="t1" people={people} viewer={{ userId: ANA, boardRole: testBoard.role }} />
          </CurrentBoardContext.Provider>
        </ApolloProvider>
      </SessionContext.Provider>
    </ConfigContext.Provider>,
  );
  const push = (pushed: CommentFieldsFragment) => act(() => pushes.next({ data: { onComment: pushed } }));
  return { push, subscribed };
}

const listed = () => within(screen.getByRole('list')).getAllByRole('listitem');

describe('comments in the task drawer', () => {
  it("follow others' comments live: new, edited, deleted, each announced", async () => {
    const { push, subscribed } = renderComments();
    expect(await screen.findByText('First!')).toBeTruthy();
    expect(subscribed).toEqual([{ boardId: testBoard.id, taskId: 't1' }]);

    push(comment({ id: 'c2', body: 'Ready for review', createdAt: '2026-12-01T10:02:00.000Z' }));
    expect(await screen.findByText('Ready for review')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Ben commented: Ready for review');
    expect(screen.getByRole('heading', { name: 'Comments (2)' })).toBeTruthy();

    push(comment({ id: 'c1', body: 'First! (fixed)', editedAt: '2026-12-01T10:03:00.000Z' }));
    expect(await screen.findByText('First! (fixed)')).toBeTruthy();
    expect(screen.queryByText('First!')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Ben edited a comment.');

    push(comment({ id: 'c2', body: 'Ready for review', createdAt: '2026-12-01T10:02:00.000Z', deletedAt: '2026-12-01T10:04:00.000Z' }));
    await screen.findByRole('heading', { name: 'Comments (1)' });
    expect(screen.queryByText('Ready for review')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Ben deleted a comment.');
    expect(listed()).toHaveLength(1);
  });

  it("lists the person's own comment once when the subscription pushes it back", async () => {
    const { push } = renderComments();
    await screen.findByText('First!');
    await userEvent.type(screen.getByLabelText('Add a comment'), 'Mine');
    await userEvent.click(screen.getByRole('button', { name: 'Post comment' }));
    await within(screen.getByRole('list')).findByText('Mine');
    push(comment({ id: 'c3', authorId: ANA, body: 'Mine', createdAt: '2026-12-01T10:05:00.000Z' }));
    expect(within(screen.getByRole('list')).getAllByText('Mine')).toHaveLength(1);
    expect(listed()).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toBe('');
  });
});

describe('foldComment', () => {
  it('adds in time order, replaces by id, removes a deleted one', () => {
    const a = comment({ id: 'a', createdAt: '2026-12-01T10:00:00.000Z' });
    const c = comment({ id: 'c', createdAt: '2026-12-01T10:02:00.000Z' });
    const b = comment({ id: 'b', createdAt: '2026-12-01T10:01:00.000Z' });
    expect(foldComment([a, c], b).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(foldComment([a, b], { ...b, body: 'new' })[1]!.body).toBe('new');
    expect(foldComment([a, b], { ...b, deletedAt: '2026-12-01T10:03:00.000Z' }).map((x) => x.id)).toEqual(['a']);
  });
});

describe('@name mentions', () => {
  it('offers teammates after @, puts the chosen one in by keyboard, and sends their id', async () => {
    const body = 'Thanks @Ben for the fix';
    renderComments([
      {
        request: { query: AddCommentDocument, variables: { boardId: testBoard.id, taskId: 't1', body, mentions: [BEN] } },
        result: { data: { addComment: comment({ id: 'c4', authorId: ANA, body, mentions: [BEN], createdAt: '2026-12-01T10:06:00.000Z' }) } },
      },
    ]);
    await screen.findByText('First!');
    const box = screen.getByRole('combobox', { name: /Add a comment/ });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await userEvent.type(box, 'Thanks @b');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    const options = within(screen.getByRole('listbox', { name: 'People to mention' })).getAllByRole('option');
    // Ana writes: she is not offered to herself.
    expect(options.map((o) => o.textContent)).toEqual(['@Ben']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await userEvent.keyboard('{Enter}');
    expect((box as HTMLTextAreaElement).value).toBe('Thanks @Ben ');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await userEvent.type(box, 'for the fix');
    await userEvent.click(screen.getByRole('button', { name: 'Post comment' }));
    expect(await within(screen.getByRole('list')).findByText(body)).toBeTruthy();
  });

  it('offers teammates when a comment is edited, and sends the mentions of the edited text', async () => {
    const body = 'Fixed, thanks @Ben for the review';
    renderComments(
      [
        {
          request: { query: EditCommentDocument, variables: { boardId: testBoard.id, taskId: 't1', id: 'c5', body, mentions: [BEN] } },
          result: { data: { editComment: comment({ id: 'c5', authorId: ANA, body, mentions: [BEN], editedAt: '2026-12-01T10:07:00.000Z' }) } },
        },
      ],
      [comment({ id: 'c5', authorId: ANA, body: 'Fixed' })],
    );
    await screen.findByText('Fixed');
    await userEvent.click(screen.getByRole('button', { name: 'Edit comment' }));
    const box = screen.getByRole('combobox', { name: /Edit your comment/ });
    // The box takes the focus, as the plain one did.
    expect(document.activeElement).toBe(box);
    await userEvent.type(box, ', thanks @b');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    // The add form's list stays hidden: only the edit box's is shown.
    expect(within(screen.getByRole('listbox', { name: 'People to mention' })).getAllByRole('option').map((o) => o.textContent)).toEqual(['@Ben']);
    // Escape closes the list and leaves the form open.
    await userEvent.keyboard('{Escape}');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await userEvent.type(box, 'e');
    await userEvent.keyboard('{ArrowDown}{Tab}');
    expect((box as HTMLTextAreaElement).value).toBe('Fixed, thanks @Ben ');
    await userEvent.type(box, 'for the review');
    await userEvent.click(screen.getByRole('button', { name: 'Save comment' }));
    // Saved: the form is gone, the comment reads as edited, and the focus is back on its Edit button.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit comment' })));
    expect(screen.getByText(body).tagName).toBe('P');
  });

  it('keeps the mentions a comment has while their names stay in the text, and drops one whose name is deleted', async () => {
    // Ben is mentioned; so is someone no longer on the board, whose name the app cannot look for.
    const original = comment({ id: 'c6', authorId: ANA, body: 'Ask @Ben', mentions: [BEN, 'gone-user'] });
    const edit = (body: string, mentions: string[], editedAt: string) => ({
      request: { query: EditCommentDocument, variables: { boardId: testBoard.id, taskId: 't1', id: 'c6', body, mentions } },
      result: { data: { editComment: { ...original, body, mentions, editedAt } } },
    });
    renderComments([edit('Ask @Ben today', [BEN, 'gone-user'], '2026-12-01T10:08:00.000Z'), edit('Ask today', ['gone-user'], '2026-12-01T10:09:00.000Z')], [original]);
    await screen.findByText('Ask @Ben');
    await userEvent.click(screen.getByRole('button', { name: 'Edit comment' }));
    await userEvent.type(screen.getByRole('combobox', { name: /Edit your comment/ }), ' today');
    await userEvent.click(screen.getByRole('button', { name: 'Save comment' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Edit comment' }));
    expect((screen.getByRole('combobox', { name: /Edit your comment/ }) as HTMLTextAreaElement).value).toBe('Ask @Ben today');
    const box = screen.getByRole('combobox', { name: /Edit your comment/ });
    await userEvent.clear(box);
    await userEvent.type(box, 'Ask today');
    await userEvent.click(screen.getByRole('button', { name: 'Save comment' }));
    await screen.findByRole('button', { name: 'Edit comment' });
    expect(screen.getByText('Ask today').tagName).toBe('P');
  });

  it('reads the mention at the caret, matches any word of a name, and drops a mention whose text is gone', () => {
    expect(mentionQueryAt('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionQueryAt('mail a@b', 8)).toBeUndefined();
    expect(mentionQueryAt('@ana lima', 9)).toBeUndefined();
    const people = new Map([
      ['u1', 'Ana Lima'],
      ['u2', 'Ben Lim'],
      ['u3', 'Cy'],
    ]);
    expect(mentionCandidates(people, 'li').map((p) => p.name)).toEqual(['Ana Lima', 'Ben Lim']);
    expect(mentionCandidates(people, 'li', 'u1').map((p) => p.name)).toEqual(['Ben Lim']);
    expect(insertMention('hi @an!', 6, { start: 3, query: 'an' }, 'Ana Lima')).toEqual({ text: 'hi @Ana Lima !', caret: 13 });
    const chosen = new Map([
      ['u1', 'Ana Lima'],
      ['u2', 'Ben Lim'],
    ]);
    expect(mentionedIds('thanks @Ana Lima', chosen)).toEqual(['u1']);
    expect(mentionsByName(['u2', 'gone'], people)).toEqual(new Map([['u2', 'Ben Lim']]));
  });
});
