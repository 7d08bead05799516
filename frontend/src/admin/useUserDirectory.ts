/**
 * Every user, for naming the people in the audit log and offering them as a filter: all pages
 * of `users`, read once per visit. Audit entries hold ids only, never emails.
 */
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { AdminUsersDocument, type AdminUserFieldsFragment, type AdminUsersQuery } from '../generated/graphql.ts';

/** 20 pages of 100: a safety stop, not a limit anyone should reach. */
const MAX_PAGES = 20;
export const DIRECTORY_PAGE = 100;

export interface UserDirectory {
  users: AdminUserFieldsFragment[];
  byId: ReadonlyMap<string, AdminUserFieldsFragment>;
  /** False until every page is in (or reading failed: ids then show as they are). */
  ready: boolean;
}

export function useUserDirectory(): UserDirectory {
  const client = useApolloClient();
  const [directory, setDirectory] = useState<UserDirectory>({ users: [], byId: new Map(), ready: false });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const users: AdminUserFieldsFragment[] = [];
      let nextToken: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data }: { data?: AdminUsersQuery } = await client.query({ query: AdminUsersDocument, variables: { limit: DIRECTORY_PAGE, nextToken }, fetchPolicy: 'network-only' });
        users.push(...(data?.users.items ?? []));
        nextToken = data?.users.nextToken ?? null;
        if (!nextToken) break;
      }
      return users;
    })().then(
      (users) => !cancelled && setDirectory({ users, byId: new Map(users.map((user) => [user.id, user])), ready: true }),
      () => !cancelled && setDirectory((before) => ({ ...before, ready: true })),
    );
    return () => {
      cancelled = true;
    };
  }, [client]);
  return directory;
}
