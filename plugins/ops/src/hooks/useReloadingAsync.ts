import { DependencyList, useEffect, useRef } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';

/** What a read shows: its value, and the error of its latest attempt. */
export type ReloadingAsyncState<T> = {
  loading: boolean;
  error?: Error;
  value?: T;
};

const sameIdentity = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((item, i) => Object.is(item, b[i]));

/**
 * react-use's `useAsync` for a read that is read again on `reloadKey` (a
 * signal, the live cards' safety-net timer, the page shown again), except
 * that a failed re-read keeps the value read before, beside its error. With
 * `useAsync` the error replaces the value, and a card or page that shows its
 * content only with a value would unmount it, with the dialog or editor the
 * user was typing in, because one background read met a dropped network or
 * a restarting backend. Nothing is kept across a change of `identity` (the
 * entity or record read): while another record is read, there is no value.
 * With `initial`, the answer its mount already has, the first render shows
 * it and nothing is read until `reloadKey` changes.
 */
export function useReloadingAsync<T>(
  load: () => Promise<T>,
  identity: DependencyList,
  reloadKey: unknown,
  initial?: { value: T },
): ReloadingAsyncState<T> {
  // Each answer names what it was read for: while another record's read is
  // in flight, the state still holds the previous record's answer.
  // react-use's useAsync is useAsyncFn run on every change of its
  // dependencies; here the first run is skipped when the mount already has
  // its answer (`initial`, for the first `identity`).
  const [state, run] = useAsyncFn(
    (): Promise<{ identity: DependencyList; value: T }> =>
      load().then(value => ({ identity, value })),
    // The dependencies are the caller's identity and its reload key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...identity, reloadKey],
    initial
      ? { loading: false, value: { identity, value: initial.value } }
      : { loading: true },
  );
  const skipFirstRun = useRef(initial !== undefined);
  useEffect(() => {
    if (skipFirstRun.current) {
      skipFirstRun.current = false;
      return;
    }
    run();
  }, [run]);
  const lastAnswer = useRef<{ identity: DependencyList; value: T }>();
  if (state.value) {
    lastAnswer.current = state.value;
  }
  const answer = lastAnswer.current;
  return {
    loading: state.loading,
    error: state.error,
    value:
      answer && sameIdentity(answer.identity, identity)
        ? answer.value
        : undefined,
  };
}
