import { useApi } from '@backstage/core-plugin-api';
import { useRef, useState } from 'react';
import { opsApiRef } from '../api';
import { startSharedReads } from './opsReads';
import { EntityRead, startEntityReads } from './startedReads';

/**
 * How long a tab waits for its reads before its cards render without them.
 * The Operations tab's reads answer in 50–80 ms together (yarn bench:ui); an
 * SLO report against a slow Prometheus may take seconds, and then the other
 * cards do not wait for it.
 */
export const TAB_READS_WAIT_MS = 300;

/**
 * Starts a tab's reads (the entity's shared reads and `reads`) in the tab's
 * first render, and says whether the tab may render its cards: once the
 * reads answered, or after `maxWaitMs`. The cards then render once, with
 * their data (useEntityRead and the shared reads' hooks show an answer that
 * already came in their first render), instead of rendering a loading state
 * first and their data a moment later. On the Operations tab, that second
 * pass over nine cards cost an in-app navigation about 30 ms (bench/README.md,
 * "the navigation under 300 ms"). Cards whose read is slower render with a
 * loading state, as before. Each mount of the tab reads anew; a mounted tab waits again only
 * for another entity.
 *
 * A state, not React Suspense: the cards then render in one task, where a
 * render retried after a suspension yields to the browser every 5 ms.
 */
export function useTabReads(
  entityRef: string,
  reads: ReadonlyArray<EntityRead<unknown>>,
  maxWaitMs: number = TAB_READS_WAIT_MS,
): boolean {
  const opsApi = useApi(opsApiRef);
  const [readyFor, setReadyFor] = useState<string>();
  const startedFor = useRef<string>();
  if (startedFor.current !== entityRef) {
    // In the render, so that the requests go out before the cards render.
    startedFor.current = entityRef;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    Promise.race([
      Promise.all([
        startSharedReads(opsApi, entityRef),
        startEntityReads(opsApi, entityRef, reads),
      ]),
      timeout,
    ]).then(() => {
      clearTimeout(timer);
      setReadyFor(entityRef);
    });
  }
  return readyFor === entityRef;
}
