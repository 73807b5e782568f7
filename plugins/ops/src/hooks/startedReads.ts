import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { OpsApi, opsApiRef } from '../api';
import { ownerStore } from './ownerStore';
import { useReloadingAsync } from './useReloadingAsync';

/**
 * A card's read of the entity in context, named so that a tab can start it
 * before the card renders (startEntityReads) and the card then takes the
 * request started for it (readEntity) instead of asking again.
 */
export type EntityRead<T> = {
  /** Unique among the reads of one tab. */
  name: string;
  load: (opsApi: OpsApi, entityRef: string) => Promise<T>;
};

/** Names a read; the identity function, for the type. */
export function entityRead<T>(
  name: string,
  load: (opsApi: OpsApi, entityRef: string) => Promise<T>,
): EntityRead<T> {
  return { name, load };
}

/**
 * How long a started read waits for its card. A card renders in the same
 * pass as the tab that started it, so this only bounds what a card that
 * never rendered (an error above it) leaves behind.
 */
export const STARTED_READ_MAX_AGE_MS = 10_000;

type Started = {
  promise: Promise<unknown>;
  at: number;
  /** Its value, once it answered. */
  answer?: { value: unknown };
  /** A card rendered `answer` without taking the request (answeredRead). */
  shown?: boolean;
};

const storeOf = ownerStore<Started>();

const keyOf = (read: EntityRead<unknown>, entityRef: string) =>
  `${read.name}:${entityRef}`;

/**
 * Starts `reads` for the entity now, for cards about to render to take. A
 * tab calls it in its first render: the requests then go out before its
 * cards render, which is most of an in-app navigation's time before the
 * first request (yarn bench:ui), instead of after them. A read already
 * started and not taken is not started again. Settles when each of them
 * (started now or before) answered or failed.
 */
export function startEntityReads(
  opsApi: OpsApi,
  entityRef: string,
  reads: ReadonlyArray<EntityRead<unknown>>,
): Promise<void> {
  const store = storeOf(opsApi);
  const now = Date.now();
  const pending = reads.map(read => {
    const key = keyOf(read, entityRef);
    const current = store.get(key);
    if (current && now - current.at <= STARTED_READ_MAX_AGE_MS) {
      return current.promise;
    }
    const started: Started = { promise: read.load(opsApi, entityRef), at: now };
    started.promise.then(
      value => {
        started.answer = { value };
      },
      // Not a lost error: the card that takes the request shows it.
      () => {},
    );
    store.set(key, started);
    return started.promise;
  });
  return Promise.allSettled(pending).then(() => undefined);
}

/**
 * The value of the read started for the entity, if it already answered: a
 * card renders it in its first render, with no loading state in between.
 * Every call gets the same answer (React may render a card twice, or start
 * a render it then drops); the card that mounted with it forgets it
 * (forgetShownRead), and readEntity asks anew after it.
 */
export function answeredRead<T>(
  opsApi: OpsApi,
  read: EntityRead<T>,
  entityRef: string,
): { value: T } | undefined {
  const started = storeOf(opsApi).get(
    keyOf(read as EntityRead<unknown>, entityRef),
  );
  if (!started?.answer || Date.now() - started.at > STARTED_READ_MAX_AGE_MS) {
    return undefined;
  }
  started.shown = true;
  return started.answer as { value: T };
}

/**
 * Forgets the started read once a mounted card has shown its answer: a card
 * mounted later (the user comes back to the tab) must not show it again.
 */
export function forgetShownRead<T>(
  opsApi: OpsApi,
  read: EntityRead<T>,
  entityRef: string,
) {
  const store = storeOf(opsApi);
  const key = keyOf(read as EntityRead<unknown>, entityRef);
  if (store.get(key)?.shown) store.delete(key);
}

/**
 * The read's answer: the request a tab started for it, taken once, or else a
 * new request. Taken once, so that a reload of the card (after a change, on
 * a signal) always asks the backend again.
 */
export function readEntity<T>(
  opsApi: OpsApi,
  read: EntityRead<T>,
  entityRef: string,
): Promise<T> {
  const store = storeOf(opsApi);
  const key = keyOf(read as EntityRead<unknown>, entityRef);
  const started = store.get(key);
  store.delete(key);
  if (
    started &&
    !started.shown &&
    Date.now() - started.at <= STARTED_READ_MAX_AGE_MS
  ) {
    return started.promise as Promise<T>;
  }
  return read.load(opsApi, entityRef);
}

/**
 * A card's read of the entity, as react-use's useAsync: the request a tab
 * started for it the first time (its answer in the first render when it
 * already came, see useTabReads), a new one on every change of `reloadKey`,
 * whose failure keeps the value read before (useReloadingAsync).
 */
export function useEntityRead<T>(
  read: EntityRead<T>,
  entityRef: string,
  reloadKey?: unknown,
) {
  const opsApi = useApi(opsApiRef);
  const [answered] = useState(() => answeredRead(opsApi, read, entityRef));
  useEffect(() => {
    if (answered) forgetShownRead(opsApi, read, entityRef);
    // Once, for the mount that rendered the answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return useReloadingAsync(
    () => readEntity(opsApi, read, entityRef),
    [opsApi, read, entityRef],
    reloadKey,
    answered,
  );
}
