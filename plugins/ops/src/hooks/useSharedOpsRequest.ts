import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OpsApi, opsApiRef } from '../api';
import { freshAnswer, sharedRequest } from './sharedRequests';

type State<T> = {
  key: string;
  value?: T;
  error?: Error;
  loading: boolean;
};

/**
 * Reads through {@link sharedRequest}: like react-use's useAsyncRetry (the
 * previous value stays while a reload runs, and beside its error when it
 * fails), but the cards and tabs that read the same `key` make one request,
 * and a fresh answer renders at once, with no loading state. A change of
 * `reloadKey`, or `retry()`, asks again.
 *
 * `key` must name everything the request depends on (the entity, say).
 */
export function useSharedOpsRequest<T>(
  key: string,
  load: (opsApi: OpsApi) => Promise<T>,
  options: { maxAgeMs: number; reloadKey?: unknown },
): State<T> & { retry: () => void } {
  const opsApi = useApi(opsApiRef);
  const { maxAgeMs, reloadKey } = options;
  const [retries, setRetries] = useState(0);
  const [state, setState] = useState<State<T>>(() => {
    const fresh = freshAnswer<T>(opsApi, key, maxAgeMs);
    return { key, value: fresh?.value, loading: !fresh };
  });
  // The latest loader, without asking again when only its identity changes.
  const loadRef = useRef(load);
  loadRef.current = load;
  // What the previous run of the effect saw: a new reloadKey or retry forces
  // a new request, a first run (or React's second run in development) does not.
  const seen = useRef({ reloadKey, retries });

  useEffect(() => {
    const force =
      seen.current.reloadKey !== reloadKey || seen.current.retries !== retries;
    seen.current = { reloadKey, retries };
    const request = sharedRequest(opsApi, key, () => loadRef.current(opsApi), {
      maxAgeMs,
      force,
    });
    let live = true;
    if (request.settled) {
      // A fresh answer (no request made): no loading state in between, and
      // no render again when the first render already showed it.
      request.promise.then(
        value =>
          live &&
          setState(previous =>
            previous.key === key &&
            previous.value === value &&
            !previous.loading &&
            !previous.error
              ? previous
              : { key, value, loading: false },
          ),
        () => {},
      );
    } else {
      setState(previous => ({
        key,
        value: previous.key === key ? previous.value : undefined,
        loading: true,
      }));
      request.promise.then(
        value => live && setState({ key, value, loading: false }),
        // A failed reload keeps what was read before (useReloadingAsync).
        error =>
          live &&
          setState(previous => ({
            key,
            error,
            value: previous.key === key ? previous.value : undefined,
            loading: false,
          })),
      );
    }
    return () => {
      live = false;
    };
  }, [opsApi, key, maxAgeMs, reloadKey, retries]);

  const retry = useCallback(() => setRetries(n => n + 1), []);
  // Another key than the state's: what was read is for something else.
  if (state.key !== key) return { key, loading: true, retry };
  return { ...state, retry };
}
