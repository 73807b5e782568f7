// JSON helpers of the fake: objects are stored and compared as the JSON a
// real API server would hold, so copies never share state with callers.

/** JSON with sorted keys, so two objects compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
