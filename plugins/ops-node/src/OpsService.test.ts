import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DefaultOpsService,
  opsClientServiceRef,
  opsServiceRef,
} from './OpsService';

describe('DefaultOpsService', () => {
  let server: http.Server;
  let baseUrl: string;
  const requests: {
    method?: string;
    url?: string;
    authorization?: string;
    body: string;
  }[] = [];
  let answer: { status: number; body: object } = { status: 200, body: {} };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        requests.push({
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          body,
        });
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/ops`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    requests.length = 0;
  });

  const service = () =>
    DefaultOpsService.create({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
    });
  const credentials = mockCredentials.user('user:default/jane');

  it('posts a drill step with a token on behalf of the caller', async () => {
    answer = { status: 200, body: { id: 'drill-1', steps: [] } };

    await expect(
      service().upsertDrillStep(
        { drillId: 'drill-1', name: 'restore base backup', status: 'running' },
        { credentials },
      ),
    ).resolves.toEqual({ id: 'drill-1', steps: [] });

    expect(requests).toEqual([
      {
        method: 'PUT',
        url: '/api/ops/drills/drill-1/steps/restore%20base%20backup',
        authorization: expect.stringMatching(/^Bearer .+/),
        body: JSON.stringify({ status: 'running' }),
      },
    ]);
  });

  it('lists with the filter as repeated query parameters', async () => {
    answer = { status: 200, body: { items: [] } };

    await service().listDrills(
      {
        entityRef: 'component:default/payments-api',
        status: ['passed', 'failed'],
        limit: 5,
      },
      { credentials },
    );

    const url = new URL(requests[0].url!, baseUrl);
    expect(url.searchParams.get('entityRef')).toBe(
      'component:default/payments-api',
    );
    expect(url.searchParams.getAll('status')).toEqual(['passed', 'failed']);
    expect(url.searchParams.get('limit')).toBe('5');
  });

  it('rejects with a ResponseError carrying the backend’s error', async () => {
    answer = {
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: 'payments-db is being drilled',
        },
        request: { method: 'POST', url: '/api/ops/drills' },
        response: { statusCode: 409 },
      },
    };

    const error = await service()
      .createDrill(
        {
          entityRef: 'component:default/payments-api',
          kind: 'failover',
          target: 'payments-db',
        },
        { credentials },
      )
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('payments-db is being drilled');
  });

  it('keeps the deprecated service ref as the same ref, with its id', () => {
    expect(opsClientServiceRef).toBe(opsServiceRef);
    expect(opsServiceRef.id).toBe('ops.client');
  });
});
