import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

// Its own file (and so its own process and tables): the board must hold exactly these tasks.
let stack: TestStack;
let headers: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  headers = { authorization: (await stack.tokenFor('pager@example.com', 'ADMIN')).token };
});
afterAll(() => stack?.stop());

it('tasks pages through the board newest first, every task exactly once', async () => {
  const titles = Array.from({ length: 120 }, (_, i) => `task ${String(i).padStart(3, '0')}`);
  for (const title of titles) {
    await stack.graphql('mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id } }', { t: title }, headers);
  }
  const seen: string[] = [];
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const { body } = await stack.graphql('query ($n: String) { tasks(boardId: "main", limit: 50, nextToken: $n) { items { title } nextToken } }', { n: nextToken }, headers);
    expect(body.errors).toBeUndefined();
    seen.push(...body.data.tasks.items.map((t: { title: string }) => t.title));
    nextToken = body.data.tasks.nextToken;
    pages += 1;
  } while (nextToken);
  expect(pages).toBe(3);
  expect(seen).toEqual([...titles].reverse());
});

