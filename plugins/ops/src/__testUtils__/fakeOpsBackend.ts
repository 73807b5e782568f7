import {
  CreateIncidentRequest,
  Drill,
  Incident,
  IncidentEvent,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { SetupServer } from 'msw/node';
import { fakePostmortemsBackend } from './fakePostmortemsBackend';
import { BACKEND, errorBody, severities } from './fixtures';

/**
 * Just enough of the ops backend's HTTP API, on msw, to test components
 * against: incidents filtered by entity and status, versioned changes that
 * are refused with 409 when stale, timelines and drills. It keeps what it
 * was sent in `requests`.
 */
export function fakeOpsBackend(
  server: SetupServer,
  initial: {
    incidents?: Incident[];
    events?: IncidentEvent[];
    drills?: Drill[];
  } = {},
) {
  const state = {
    incidents: [...(initial.incidents ?? [])],
    events: [...(initial.events ?? [])],
    drills: [...(initial.drills ?? [])],
    requests: [] as { method: string; url: URL; body?: unknown }[],
  };
  const me = 'user:default/guest';
  // Pages show an incident's post-mortem and the open action items: none,
  // unless the test calls fakePostmortemsBackend with some (its handlers,
  // added later, come first).
  fakePostmortemsBackend(server);

  function record(request: Request, body?: unknown) {
    state.requests.push({
      method: request.method,
      url: new URL(request.url),
      body,
    });
  }

  server.use(
    http.get(`${BACKEND}/severities`, ({ request }) => {
      record(request);
      return HttpResponse.json({ items: severities });
    }),
    http.get(`${BACKEND}/incidents`, ({ request }) => {
      record(request);
      const query = new URL(request.url).searchParams;
      const entityRef = query.get('entityRef');
      const statuses = query.getAll('status');
      const severityIds = query.getAll('severity');
      const items = state.incidents.filter(
        incident =>
          (!entityRef || incident.entityRef === entityRef) &&
          (statuses.length === 0 || statuses.includes(incident.status)) &&
          (severityIds.length === 0 || severityIds.includes(incident.severity)),
      );
      return HttpResponse.json({ items });
    }),
    http.post(`${BACKEND}/incidents`, async ({ request }) => {
      const body = (await request.json()) as CreateIncidentRequest;
      record(request, body);
      const now = new Date().toISOString();
      const incident: Incident = {
        id: `inc-${state.incidents.length + 100}`,
        status: 'open',
        detectedAt: now,
        labels: {},
        version: 1,
        createdBy: me,
        createdAt: now,
        updatedBy: me,
        updatedAt: now,
        ...body,
      };
      state.incidents.unshift(incident);
      return HttpResponse.json(incident, { status: 201 });
    }),
    http.get(`${BACKEND}/incidents/:id`, ({ request, params }) => {
      record(request);
      const incident = state.incidents.find(i => i.id === params.id);
      return incident
        ? HttpResponse.json(incident)
        : HttpResponse.json(
            errorBody(
              'NotFoundError',
              `No incident with id '${params.id}'`,
              404,
            ),
            { status: 404 },
          );
    }),
    http.patch(`${BACKEND}/incidents/:id`, async ({ request, params }) => {
      const body = (await request.json()) as UpdateIncidentRequest;
      record(request, body);
      const index = state.incidents.findIndex(i => i.id === params.id);
      const current = state.incidents[index];
      if (current.version !== body.version) {
        return HttpResponse.json(
          errorBody(
            'ConflictError',
            `Incident '${current.id}' is at version ${current.version}, not ${body.version}`,
            409,
          ),
          { status: 409 },
        );
      }
      const { version, ...changes } = body;
      const updated: Incident = {
        ...current,
        ...changes,
        version: version + 1,
      };
      state.incidents[index] = updated;
      if (changes.status && changes.status !== current.status) {
        state.events.push({
          id: `evt-${state.events.length + 100}`,
          incidentId: current.id,
          type: 'status-changed',
          message: `Status ${current.status} → ${changes.status}`,
          data: { from: current.status, to: changes.status },
          author: me,
          createdAt: new Date().toISOString(),
        });
      }
      return HttpResponse.json(updated);
    }),
    http.get(`${BACKEND}/incidents/:id/events`, ({ request, params }) => {
      record(request);
      // Pages as the backend does: the latest first, oldest first within a
      // page; here the cursor is where the previous page began.
      const all = state.events.filter(e => e.incidentId === params.id);
      const query = new URL(request.url).searchParams;
      const end = Number(query.get('cursor') ?? all.length);
      const start = Math.max(0, end - Number(query.get('limit') ?? 100));
      return HttpResponse.json({
        items: all.slice(start, end),
        ...(start > 0 ? { nextCursor: String(start) } : {}),
      });
    }),
    http.post(
      `${BACKEND}/incidents/:id/events`,
      async ({ request, params }) => {
        const body = (await request.json()) as {
          type: 'note';
          message: string;
        };
        record(request, body);
        const event: IncidentEvent = {
          id: `evt-${state.events.length + 100}`,
          incidentId: String(params.id),
          ...body,
          author: me,
          createdAt: new Date().toISOString(),
        };
        state.events.push(event);
        return HttpResponse.json(event, { status: 201 });
      },
    ),
    http.get(`${BACKEND}/drills`, ({ request }) => {
      record(request);
      const entityRef = new URL(request.url).searchParams.get('entityRef');
      return HttpResponse.json({
        items: state.drills.filter(
          d => !entityRef || d.entityRef === entityRef,
        ),
      });
    }),
    http.get(`${BACKEND}/drills/:id`, ({ request, params }) => {
      record(request);
      const drill = state.drills.find(d => d.id === params.id);
      return drill
        ? HttpResponse.json(drill)
        : HttpResponse.json(
            errorBody('NotFoundError', `No drill with id '${params.id}'`, 404),
            { status: 404 },
          );
    }),
  );

  /** The requests of one method to paths ending with the given one. */
  function requestsTo(method: string, pathEnd: string) {
    return state.requests.filter(
      r => r.method === method && r.url.pathname.endsWith(pathEnd),
    );
  }

  return { state, requestsTo };
}
