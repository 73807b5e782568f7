import { ResponseError } from '@backstage/errors';
import { OpsApiClient } from './OpsApiClient';

describe('OpsApiClient', () => {
  const discoveryApi = { getBaseUrl: async () => 'http://backend/api/ops' };

  /**
   * A FetchApi that, like Backstage's middleware, builds a new Request from
   * what it is given, and answers with `body`.
   */
  function rebuildingFetchApi(status: number, body: object) {
    const calls: { input: unknown; request: Request; text: string }[] = [];
    const fetchApi = {
      fetch: async (input: string, init?: RequestInit) => {
        const request = new Request(input, init);
        calls.push({ input, request, text: await request.clone().text() });
        return new Response(JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        });
      },
    };
    return { fetchApi, calls };
  }

  it('calls the FetchApi with a URL and an init, so middleware can rebuild a POST', async () => {
    const { fetchApi, calls } = rebuildingFetchApi(201, { id: 'drill-1' });
    const client = new OpsApiClient({ discoveryApi, fetchApi });

    await expect(
      client.createDrill(
        {
          entityRef: 'component:default/payments-api',
          kind: 'backup-restore',
          target: 'payments-db',
        },
        { token: 'service-token' },
      ),
    ).resolves.toEqual({ id: 'drill-1' });

    expect(typeof calls[0].input).toBe('string');
    expect(calls[0].request.method).toBe('POST');
    expect(calls[0].request.url).toBe('http://backend/api/ops/drills');
    expect(calls[0].request.headers.get('authorization')).toBe(
      'Bearer service-token',
    );
    expect(calls[0].request.headers.get('content-type')).toBe(
      'application/json',
    );
    expect(JSON.parse(calls[0].text)).toEqual({
      entityRef: 'component:default/payments-api',
      kind: 'backup-restore',
      target: 'payments-db',
    });
  });

  it('sends no Authorization header of its own without a token', async () => {
    const { fetchApi, calls } = rebuildingFetchApi(200, { items: [] });
    const client = new OpsApiClient({ discoveryApi, fetchApi });

    await client.listIncidents({ status: ['open'], limit: 20 });

    const url = new URL(calls[0].request.url);
    expect(url.pathname).toBe('/api/ops/incidents');
    expect(url.searchParams.getAll('status')).toEqual(['open']);
    expect(url.searchParams.get('limit')).toBe('20');
    expect(calls[0].request.headers.get('authorization')).toBeNull();
  });

  it('rejects with a ResponseError for an error response', async () => {
    const { fetchApi } = rebuildingFetchApi(404, {
      error: { name: 'NotFoundError', message: "No drill 'x'" },
      request: { method: 'GET', url: '/api/ops/drills/x' },
      response: { statusCode: 404 },
    });
    const client = new OpsApiClient({ discoveryApi, fetchApi });

    const error = await client.getDrill({ id: 'x' }).catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe("No drill 'x'");
  });
});
