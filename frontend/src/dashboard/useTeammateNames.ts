/**
 * Names for the assignee chart: every page of `teammates` (active people), read again when the
 * figures name someone not seen yet (a person who joined since the page opened).
 */
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { TeammatesDocument, type TeammatesQuery } from '../generated/graphql.ts';

/** Enough for any team; a safety stop should the API keep answering a nextToken. */
const MAX_PAGES = 20;

/** Teammate id -> their name, or their email when they have no name. */
export function useTeammateNames(boardId: string, wanted: readonly string[]): ReadonlyMap<string, string> {
  const client = useApolloClient();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [loadedFor, setLoadedFor] = useState<string>();

  // Load once, then again only when someone unknown appears (by the sorted list of unknown ids).
  const unknown = wanted.filter((id) => !names.has(id)).sort().join(' ');
  const needed = loadedFor === undefined || (unknown !== '' && unknown !== loadedFor);

  useEffect(() => {
    if (!needed) return;
    let cancelled = false;
    readAll(loadedFor === undefined ? 'cache-first' : 'network-only').then(
      (found) => {
        if (cancelled) return;
        setNames(found);
        // Who is still unknown is a former member: do not ask again for them.
        setLoadedFor(unknown.split(' ').filter((id) => id && !found.has(id)).join(' '));
      },
      // Without names the chart still counts; people show as "Former member".
      () => !cancelled && setLoadedFor(unknown),
    );
    return () => {
      cancelled = true;
    };

    async function readAll(fetchPolicy: 'cache-first' | 'network-only') {
      const found = new Map<string, string>();
      let nextToken: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data }: { data?: TeammatesQuery } = await client.query({ query: TeammatesDocument, variables: { boardId, nextToken }, fetchPolicy });
        for (const teammate of data?.teammates.items ?? []) found.set(teammate.id, teammate.name || teammate.email);
        nextToken = data?.teammates.nextToken ?? null;
        if (!nextToken) break;
      }
      return found;
    }
    // `unknown` captures what matters of `names` and `wanted`; loadedFor only picks the policy.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, boardId, needed, unknown]);

  return names;
}
