import { ownerStore } from './ownerStore';

/**
 * One request for data that several cards, or the tabs of one entity page,
 * read: the Overview tab's summary and the Operations tab's cards ask for the
 * same on-call status and SLO report, the incident cards for the same
 * severity levels. A request in flight is joined, and its answer is reused
 * while it is younger than the caller's `maxAgeMs`, so that a card opened by
 * an in-app navigation shows at once what the previous tab has just read.
 *
 * The store belongs to the OpsApi instance (one per app, one per test render)
 * rather than to the module, so that two apps or two tests never share data.
 */

type Entry = {
  promise: Promise<unknown>;
  settled: boolean;
  failed: boolean;
  value?: unknown;
  /** When the answer arrived (or, while in flight, when it was asked). */
  at: number;
};

const storeOf = ownerStore<Entry>();

/** The answer for `key` when there is one younger than `maxAgeMs`. */
export function freshAnswer<T>(
  owner: object,
  key: string,
  maxAgeMs: number,
): { value: T } | undefined {
  const entry = storeOf(owner).get(key);
  if (!entry || !entry.settled || entry.failed) return undefined;
  if (Date.now() - entry.at > maxAgeMs) return undefined;
  return { value: entry.value as T };
}

/**
 * The request for `key`: the one in flight, or a fresh answer, or a new
 * request made with `load`. `force` always makes a new one (a card that
 * reloads after a change, or on its refresh timer), which the next readers
 * then share. A failed request is not kept: the next reader tries again.
 */
export function sharedRequest<T>(
  owner: object,
  key: string,
  load: () => Promise<T>,
  options: { maxAgeMs: number; force?: boolean },
): { promise: Promise<T>; settled: boolean; value?: T } {
  const store = storeOf(owner);
  const current = store.get(key);
  const usable =
    current &&
    !options.force &&
    (!current.settled ||
      (!current.failed && Date.now() - current.at <= options.maxAgeMs));
  if (usable) {
    return current as { promise: Promise<T>; settled: boolean; value?: T };
  }
  const entry: Entry = {
    promise: Promise.resolve(),
    settled: false,
    failed: false,
    at: Date.now(),
  };
  entry.promise = load().then(
    value => {
      Object.assign(entry, { settled: true, value, at: Date.now() });
      return value;
    },
    error => {
      Object.assign(entry, { settled: true, failed: true });
      if (store.get(key) === entry) store.delete(key);
      throw error;
    },
  );
  store.set(key, entry);
  return entry as { promise: Promise<T>; settled: boolean; value?: T };
}
