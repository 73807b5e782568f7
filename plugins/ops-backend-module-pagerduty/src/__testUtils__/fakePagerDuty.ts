import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

// A fake of the few PagerDuty REST API v2 endpoints the provider reads,
// answering with the JSON shapes PagerDuty documents
// (https://developer.pagerduty.com/api-reference/): GET /services/{id} and
// GET /oncalls with escalation_policy_ids[], include[]=users, since/until and
// offset/limit/more pagination. It checks the `Token token=` authorization
// and can be told to rate limit (429 with Retry-After) or to fail (5xx).
// PagerDuty itself cannot be reached from the test machines.

export interface FakeOnCall {
  level: number;
  user: { id: string; name: string; email: string };
  start: string | null;
  end: string | null;
}

export interface FakePagerDuty {
  url: string;
  requests: Array<{ path: string; query: URLSearchParams }>;
  /** The next `count` requests get 429 with this Retry-After (seconds). */
  rateLimit(count: number, retryAfterSeconds: number): void;
  /** Every request gets this status until cleared with `fail(undefined)`. */
  fail(status: number | undefined): void;
  stop(): Promise<void>;
}

export async function startFakePagerDuty(options: {
  /** Listens on the first free port of this range, on 127.0.0.1. */
  portRange: [number, number];
  token: string;
  services: Record<string, { escalationPolicyId: string; name: string }>;
  oncalls: Record<string, FakeOnCall[]>;
  /** Page size the fake uses whatever `limit` asks, to force pagination. */
  pageSize?: number;
}): Promise<FakePagerDuty> {
  const requests: FakePagerDuty['requests'] = [];
  let rateLimited = 0;
  let retryAfter = 1;
  let failure: number | undefined;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname, query: url.searchParams });
    if (req.headers.authorization !== `Token token=${options.token}`) {
      json(res, 401, { error: { message: 'Unauthorized', code: 2006 } });
      return;
    }
    if (failure) {
      json(res, failure, { error: { message: 'Internal Server Error' } });
      return;
    }
    if (rateLimited > 0) {
      rateLimited -= 1;
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'Retry-After': String(retryAfter),
      });
      res.end(
        JSON.stringify({
          error: { message: 'Rate Limit Exceeded', code: 2020 },
        }),
      );
      return;
    }
    const service = /^\/services\/([A-Z0-9]+)$/.exec(url.pathname);
    if (service) {
      const found = options.services[service[1]];
      if (!found) {
        json(res, 404, { error: { message: 'Not Found', code: 2100 } });
        return;
      }
      json(res, 200, {
        service: {
          id: service[1],
          type: 'service',
          summary: found.name,
          name: found.name,
          html_url: `https://acme.pagerduty.com/service-directory/${service[1]}`,
          escalation_policy: {
            id: found.escalationPolicyId,
            type: 'escalation_policy_reference',
            summary: `${found.name} policy`,
            html_url: `https://acme.pagerduty.com/escalation_policies/${found.escalationPolicyId}`,
          },
        },
      });
      return;
    }
    if (url.pathname === '/oncalls') {
      const policies = url.searchParams.getAll('escalation_policy_ids[]');
      const withUsers = url.searchParams.getAll('include[]').includes('users');
      const since = Date.parse(url.searchParams.get('since') ?? '');
      const until = Date.parse(url.searchParams.get('until') ?? '');
      const all = policies.flatMap(policy =>
        (options.oncalls[policy] ?? [])
          .filter(
            o =>
              (o.start === null || Date.parse(o.start) < until) &&
              (o.end === null || Date.parse(o.end) > since),
          )
          .map(o => ({
            escalation_policy: {
              id: policy,
              type: 'escalation_policy_reference',
            },
            escalation_level: o.level,
            schedule: null,
            user: withUsers
              ? {
                  id: o.user.id,
                  type: 'user',
                  summary: o.user.name,
                  name: o.user.name,
                  email: o.user.email,
                  html_url: `https://acme.pagerduty.com/users/${o.user.id}`,
                }
              : {
                  id: o.user.id,
                  type: 'user_reference',
                  summary: o.user.name,
                },
            start: o.start,
            end: o.end,
          })),
      );
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Math.min(
        Number(url.searchParams.get('limit') ?? 25),
        options.pageSize ?? 100,
      );
      json(res, 200, {
        oncalls: all.slice(offset, offset + limit),
        limit,
        offset,
        more: offset + limit < all.length,
        total: null,
      });
      return;
    }
    json(res, 404, { error: { message: 'Not Found' } });
  };

  const server: Server = createServer(handle);
  for (let port = options.portRange[0]; ; port++) {
    if (port > options.portRange[1]) {
      throw new Error(`No free port in ${options.portRange.join('-')}`);
    }
    const listening = await new Promise<boolean>(resolve => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) break;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimit(count, seconds) {
      rateLimited = count;
      retryAfter = seconds;
    },
    fail(status) {
      failure = status;
    },
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}
