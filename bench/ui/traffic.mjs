/*
 * What a page fetches, read from Chromium's DevTools protocol rather than
 * Playwright's request events: only the protocol says whether a response came
 * from the browser's cache and how many bytes crossed the network (encoded,
 * i.e. compressed, as a user's connection carries them).
 */

/**
 * Records the page's requests from now on. `take()` returns what was fetched
 * since the previous take() (or since the start) and starts a new window.
 */
export async function recordTraffic(page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  let window = new Map();
  let started = performance.now();

  const entry = requestId => window.get(requestId);
  session.on('Network.requestWillBeSent', event => {
    // A redirect reuses the request id: the last hop is what counts.
    window.set(event.requestId, {
      url: event.request.url,
      type: event.type,
      start: performance.now() - started,
      end: undefined,
      fromCache: false,
      bytes: 0,
    });
  });
  session.on('Network.requestServedFromCache', event => {
    const e = entry(event.requestId);
    if (e) e.fromCache = true;
  });
  session.on('Network.responseReceived', event => {
    const e = entry(event.requestId);
    if (!e) return;
    e.type = event.type;
    if (event.response.fromDiskCache || event.response.fromPrefetchCache)
      e.fromCache = true;
    e.status = event.response.status;
  });
  session.on('Network.loadingFinished', event => {
    const e = entry(event.requestId);
    if (!e) return;
    e.end = performance.now() - started;
    if (!e.fromCache) e.bytes = event.encodedDataLength;
  });
  session.on('Network.loadingFailed', event => {
    const e = entry(event.requestId);
    if (e) e.end = performance.now() - started;
  });

  return {
    take() {
      const requests = [...window.values()];
      window = new Map();
      started = performance.now();
      return summarize(requests);
    },
    async stop() {
      await session.detach().catch(() => {});
    },
  };
}

function summarize(requests) {
  const isApi = r => new URL(r.url).pathname.startsWith('/api/');
  const overNetwork = requests.filter(
    r => !r.fromCache && !r.url.startsWith('data:'),
  );
  const scripts = requests.filter(r => r.type === 'Script');
  return {
    requests: requests.length,
    network: overNetwork.length,
    api: requests.filter(isApi).length,
    jsFiles: scripts.length,
    jsBytes: scripts.reduce((sum, r) => sum + r.bytes, 0),
    apiCalls: requests.filter(isApi).map(r => ({
      path: new URL(r.url).pathname + new URL(r.url).search,
      start: r.start,
      end: r.end,
    })),
  };
}
