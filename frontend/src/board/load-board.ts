/**
 * Reading the whole board: each column in rank order (tasks(filter: {status}) pages through the
 * byStatus index, so the four columns load side by side), and the teammates for names.
 */
import type { ApolloClient } from '@apollo/client';
import { BoardColumnDocument, TeammatesDocument, type BoardColumnQuery, type TeammatesQuery } from '../generated/graphql.ts';
import { STATUSES, type Task, type TaskStatus } from './model.ts';

export type Teammate = TeammatesQuery['teammates']['items'][number];

/** Every task of one column, page by page. */
export async function loadColumn(client: ApolloClient, boardId: string, status: TaskStatus): Promise<Task[]> {
  const tasks: Task[] = [];
  let nextToken: string | null = null;
  do {
    const { data }: { data?: BoardColumnQuery } = await client.query({
      query: BoardColumnDocument,
      variables: { boardId, status, nextToken },
      fetchPolicy: 'no-cache',
    });
    if (!data) throw new Error(`The ${status} column could not be read.`);
    tasks.push(...data.tasks.items);
    nextToken = data.tasks.nextToken;
  } while (nextToken);
  return tasks;
}

/** Every task on the board. */
export async function loadTasks(client: ApolloClient, boardId: string): Promise<Task[]> {
  const columns = await Promise.all(STATUSES.map((status) => loadColumn(client, boardId, status)));
  return columns.flat();
}

/** Everyone active on the board. */
export async function loadTeammates(client: ApolloClient, boardId: string): Promise<Teammate[]> {
  const people: Teammate[] = [];
  let nextToken: string | null = null;
  do {
    const { data }: { data?: TeammatesQuery } = await client.query({
      query: TeammatesDocument,
      variables: { boardId, nextToken },
      fetchPolicy: 'network-only',
    });
    if (!data) throw new Error('The teammates could not be read.');
    people.push(...data.teammates.items);
    nextToken = data.teammates.nextToken;
  } while (nextToken);
  return people.sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
}
