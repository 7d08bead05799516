/**
 * Every page of a paginated list (a task's history, its comments) for `key` (a task id), read
 * again when `refresh` changes (a new version of the task) or `reload()` is called; the list on
 * screen stays until the new one arrives, unless the key changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiError, type ApiError } from '../data/errors.ts';

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/** A page from a query's answer; a missing answer is an error, not an empty list. */
export function pageOf<T>(page: Page<T> | undefined): Page<T> {
  if (!page) throw new Error('The server answered without the list.');
  return page;
}

/** More than this many pages is more than a drawer should hold. */
const MAX_PAGES = 20;

export function useAllPages<T>(load: (nextToken: string | null) => Promise<Page<T>>, key: string, refresh: unknown = undefined) {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<ApiError>();
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const all: T[] = [];
      let nextToken: string | null = null;
      let pages = 0;
      do {
        const page: Page<T> = await loader.current(nextToken);
        all.push(...page.items);
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken && pages < MAX_PAGES);
      if (!cancelled) {
        setItems(all);
        setError(undefined);
      }
    })().catch((failure: unknown) => {
      if (!cancelled) setError(apiError(failure));
    });
    return () => {
      cancelled = true;
    };
  }, [key, refresh, round]);

  // Forget the previous task's list at once, so it never shows under another task.
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setItems(undefined);
    setError(undefined);
  }

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { items, error, reload, setItems };
}
