// Reads an etcd 3.4 key's lease through etcd's v3 JSON gateway (no etcd
// client library needed): how long a Patroni member's lock still holds.

async function post(etcdPort: number, api: string, body: object) {
  const response = await fetch(`http://127.0.0.1:${etcdPort}${api}`, {
    method: 'POST',
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(2_000),
  });
  return response.json();
}

/** Seconds left on the lease of `key`; undefined when the key is gone or has no lease. */
export async function leaseSecondsLeft(
  etcdPort: number,
  key: string,
): Promise<number | undefined> {
  const range = await post(etcdPort, '/v3/kv/range', {
    key: Buffer.from(key).toString('base64'),
  });
  const lease = range.kvs?.[0]?.lease;
  if (!lease) {
    return undefined;
  }
  const alive = await post(etcdPort, '/v3/lease/timetolive', { ID: lease });
  return Number(alive.TTL);
}
