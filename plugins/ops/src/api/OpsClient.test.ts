import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aDrill,
  anEvent,
  anIncident,
  BACKEND,
  errorBody,
  PAYMENTS_API_REF,
  severities,
} from '../__testUtils__/fixtures';
import { OpsClient } from './OpsClient';

describe('OpsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new OpsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backend' }),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });

  /** Answers one route with a body, recording each request it got. */
  function answer(
    method: 'get' | 'post' | 'patch' | 'put',
    path: string,
    body: object,
    status = 200,
  ) {
    const requests: {
      url: URL;
      body: unknown;
      authorization: string | null;
    }[] = [];
    server.use(
      http[method](`${BACKEND}${path}`, async ({ request }) => {
        requests.push({
          url: new URL(request.url),
          body: method === 'get' ? undefined : await request.json(),
          authorization: request.headers.get('authorization'),
        });
        return HttpResponse.json(body, { status });
      }),
    );
    return requests;
  }

  it('reads the severity levels with the user’s credentials', async () => {
    const requests = answer('get', '/severities', { items: severities });

    await expect(client.getSeverities()).resolves.toEqual({
      items: severities,
    });
    expect(requests[0].authorization).toBe('Bearer user-token');
  });

  it('lists incidents with every filter, arrays as repeated parameters', async () => {
    const page = { items: [anIncident()], nextCursor: 'next-page' };
    const requests = answer('get', '/incidents', page);

    await expect(
      client.listIncidents({
        entityRef: PAYMENTS_API_REF,
        status: ['open', 'investigating'],
        severity: ['SEV1', 'SEV2'],
        from: '2025-01-01T00:00:00.000Z',
        to: '2025-02-01T00:00:00.000Z',
        cursor: 'this-page',
        limit: 20,
      }),
    ).resolves.toEqual(page);

    const query = requests[0].url.searchParams;
    expect(query.get('entityRef')).toBe(PAYMENTS_API_REF);
    expect(query.getAll('status')).toEqual(['open', 'investigating']);
    expect(query.getAll('severity')).toEqual(['SEV1', 'SEV2']);
    expect(query.get('from')).toBe('2025-01-01T00:00:00.000Z');
    expect(query.get('to')).toBe('2025-02-01T00:00:00.000Z');
    expect(query.get('cursor')).toBe('this-page');
    expect(query.get('limit')).toBe('20');
  });

  it('lists incidents without a query when there is no filter', async () => {
    const requests = answer('get', '/incidents', { items: [] });

    await client.listIncidents();

    expect(requests[0].url.search).toBe('');
  });

  it('reads one incident, its id escaped in the path', async () => {
    const incident = anIncident({ id: 'a/b' });
    const requests = answer('get', '/incidents/:id', incident);

    await expect(client.getIncident('a/b')).resolves.toEqual(incident);
    expect(requests[0].url.pathname).toBe('/api/ops/incidents/a%2Fb');
  });

  it('declares an incident with a JSON body', async () => {
    const incident = anIncident();
    const requests = answer('post', '/incidents', incident, 201);
    const request = {
      entityRef: PAYMENTS_API_REF,
      title: 'Card payments fail',
      severity: 'SEV2',
      summary: 'Checkout returns 502',
    };

    await expect(client.createIncident(request)).resolves.toEqual(incident);
    expect(requests[0].body).toEqual(request);
  });

  it('changes an incident from the version it read', async () => {
    const updated = anIncident({ status: 'mitigated', version: 4 });
    const requests = answer('patch', '/incidents/inc-1', updated);

    await expect(
      client.updateIncident('inc-1', { version: 3, status: 'mitigated' }),
    ).resolves.toEqual(updated);
    expect(requests[0].body).toEqual({ version: 3, status: 'mitigated' });
  });

  it('reads and appends to the timeline', async () => {
    const created = anEvent();
    const note = anEvent({ id: 'evt-2', type: 'note', message: 'Rolled back' });
    answer('get', '/incidents/inc-1/events', { items: [created] });
    const appended = answer('post', '/incidents/inc-1/events', note, 201);

    await expect(client.listIncidentEvents('inc-1')).resolves.toEqual({
      items: [created],
    });
    await expect(
      client.appendIncidentEvent('inc-1', {
        type: 'note',
        message: 'Rolled back',
      }),
    ).resolves.toEqual(note);
    expect(appended[0].body).toEqual({ type: 'note', message: 'Rolled back' });
  });

  it('lists drills with every filter and reads one', async () => {
    const drill = aDrill();
    const requests = answer('get', '/drills', { items: [drill] });
    answer('get', '/drills/drill-1', drill);

    await client.listDrills({
      entityRef: PAYMENTS_API_REF,
      kind: ['backup-restore', 'failover'],
      status: ['passed', 'failed'],
      limit: 5,
    });
    await expect(client.getDrill('drill-1')).resolves.toEqual(drill);

    const query = requests[0].url.searchParams;
    expect(query.get('entityRef')).toBe(PAYMENTS_API_REF);
    expect(query.getAll('kind')).toEqual(['backup-restore', 'failover']);
    expect(query.getAll('status')).toEqual(['passed', 'failed']);
    expect(query.get('limit')).toBe('5');
  });

  it('posts a body through FetchApi middleware that rebuilds the request', async () => {
    // Backstage's fetch middleware (plugin:// resolution, identity auth)
    // rebuilds each request; a client that handed it a Request whose body
    // was read would fail with "Cannot construct a Request with a Request
    // object that has already been used".
    const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend' });
    const withMiddleware = new OpsClient({
      discoveryApi,
      fetchApi: new MockFetchApi({
        resolvePluginProtocol: { discoveryApi },
        injectIdentityAuth: { token: 'user-token' },
      }),
    });
    const note = anEvent({ id: 'evt-3', type: 'action', message: 'Paged DBA' });
    const requests = answer('post', '/incidents/inc-1/events', note, 201);

    await expect(
      withMiddleware.appendIncidentEvent('inc-1', {
        type: 'action',
        message: 'Paged DBA',
      }),
    ).resolves.toEqual(note);
    expect(requests[0].body).toEqual({ type: 'action', message: 'Paged DBA' });
    expect(requests[0].authorization).toBe('Bearer user-token');
  });

  it('rejects with a ResponseError carrying the backend’s error', async () => {
    answer(
      'patch',
      '/incidents/inc-1',
      errorBody(
        'ConflictError',
        "Incident 'inc-1' was changed since version 3",
        409,
      ),
      409,
    );

    const error = await client
      .updateIncident('inc-1', { version: 3, status: 'resolved' })
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(
      "Incident 'inc-1' was changed since version 3",
    );
  });

  it('rejects a refused write with the backend’s reason', async () => {
    answer(
      'post',
      '/incidents',
      errorBody('NotAllowedError', 'You do not own payments-api', 403),
      403,
    );

    const error = await client
      .createIncident({
        entityRef: PAYMENTS_API_REF,
        title: 'x',
        severity: 'SEV3',
      })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('You do not own payments-api');
  });

  it('finds an incident’s post-mortem, and none when the backend has none', async () => {
    const postmortem = { id: 'pm-1', incidentId: 'inc-1', version: 1 };
    answer('get', '/incidents/inc-1/postmortem', postmortem);
    answer(
      'get',
      '/incidents/inc-2/postmortem',
      errorBody('NotFoundError', "Incident 'inc-2' has no post-mortem", 404),
      404,
    );

    await expect(client.findPostmortemOfIncident('inc-1')).resolves.toEqual(
      postmortem,
    );
    await expect(
      client.findPostmortemOfIncident('inc-2'),
    ).resolves.toBeUndefined();
  });

  it('saves a post-mortem from the version it read, and rejects a stale one with 409', async () => {
    const requests = answer(
      'put',
      '/postmortems/pm-1',
      errorBody('ConflictError', "Post-mortem 'pm-1' changed since 3", 409),
      409,
    );

    const error = await client
      .updatePostmortem('pm-1', { version: 3, body: '## Summary' })
      .catch(e => e);

    expect(requests[0].body).toEqual({ version: 3, body: '## Summary' });
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
  });
});
