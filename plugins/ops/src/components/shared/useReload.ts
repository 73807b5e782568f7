import { useCallback, useState } from 'react';

/**
 * A key to list among the dependencies of a load, and the function that
 * changes it to load again. Unlike `useAsyncRetry`'s retry, a reload asked
 * for during a load is not dropped.
 */
export function useReload(): [key: number, reload: () => void] {
  const [key, setKey] = useState(0);
  const reload = useCallback(() => setKey(previous => previous + 1), []);
  return [key, reload];
}
