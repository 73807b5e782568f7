import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useRef } from 'react';
import { opsApiRef } from '../api';
import { startSharedReads } from './opsReads';
import { ownerStore } from './ownerStore';
import {
  EntityRead,
  entityReadsSettled,
  startEntityReads,
  STARTED_READ_MAX_AGE_MS,
} from './startedReads';

/**
 * How long a tab waits for its reads before its cards render without them.
 * The Operations tab's reads answer in 50–80 ms together (yarn bench:ui); an
 * SLO report against a slow Prometheus may take seconds, and then the other
 * cards do not wait for it.
 */
export const TAB_READS_WAIT_MS = 300;

type Wait = {
  promise: Promise<void>;
  settled: boolean;
  at: number;
  /** A tab rendered with it was mounted: a tab mounted later waits anew. */
  mounted?: boolean;
};

const waitsOf = ownerStore<Wait>();

/**
 * Starts a tab's reads (the entity's shared reads and `reads`) in the tab's
 * first render, and suspends it (React Suspense) until they answered, for at
 * most `maxWaitMs`: the cards then render once, with their data, instead of
 * rendering a loading state first and their data a moment later. On the
 * Operations tab, that second pass over nine cards cost an in-app navigation
 * about 70 ms of a 360 ms total (yarn bench:ui's trace). Cards whose read is
 * slower render with a loading state, as before. Each mount of the tab
 * waits once (the user comes back to it: new reads); a mounted tab waits
 * again only for another entity, never when it merely renders again.
 */
export function useTabReads(
  entityRef: string,
  reads: ReadonlyArray<EntityRead<unknown>>,
  maxWaitMs: number = TAB_READS_WAIT_MS,
) {
  const opsApi = useApi(opsApiRef);
  const waits = waitsOf(opsApi);
  const readyFor = useRef<string>();
  useEffect(() => {
    const wait = waits.get(entityRef);
    if (wait) wait.mounted = true;
  }, [waits, entityRef]);
  if (readyFor.current === entityRef) return;
  // A render that suspends keeps no ref: the wait lives in a store, and the
  // render after it (or React's second one in development) finds it there.
  let wait = waits.get(entityRef);
  if (!wait || wait.mounted || Date.now() - wait.at > STARTED_READ_MAX_AGE_MS) {
    startEntityReads(opsApi, entityRef, reads);
    const answered = Promise.all([
      startSharedReads(opsApi, entityRef),
      entityReadsSettled(opsApi, entityRef, reads),
    ]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    const started: Wait = { settled: false, at: Date.now(), promise: timeout };
    started.promise = Promise.race([answered, timeout]).then(() => {
      clearTimeout(timer);
      started.settled = true;
    });
    wait = started;
    waits.set(entityRef, wait);
  }
  if (!wait.settled) throw wait.promise;
  readyFor.current = entityRef;
}
