import {
  ActionItem,
  ChangePostmortemStatusRequest,
  CreateActionItemRequest,
  Postmortem,
  UpdateActionItemRequest,
  UpdatePostmortemRequest,
} from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { SetupServer } from 'msw/node';
import { BACKEND, errorBody, minutesAgo, PAYMENTS_API_REF } from './fixtures';

const me = 'user:default/guest';

export function aPostmortem(overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    id: 'pm-1',
    incidentId: 'inc-1',
    entityRef: PAYMENTS_API_REF,
    severity: 'SEV2',
    status: 'draft',
    title: 'Post-mortem: Card payments fail',
    body: '## Summary\n\nCheckout returned 502.\n\n## Timeline\n\n- 10:02 Declared SEV2\n',
    version: 1,
    authors: [me],
    reviewers: [],
    dueAt: minutesAgo(-60 * 24 * 3),
    overdue: false,
    createdBy: me,
    createdAt: minutesAgo(60),
    updatedBy: me,
    updatedAt: minutesAgo(60),
    ...overrides,
  };
}

export function anActionItem(overrides: Partial<ActionItem> = {}): ActionItem {
  return {
    id: 'ai-1',
    postmortemId: 'pm-1',
    incidentId: 'inc-1',
    entityRef: PAYMENTS_API_REF,
    title: 'Alert on connection pool saturation',
    ownerRef: 'group:default/team-payments',
    dueDate: '2026-12-24',
    status: 'open',
    overdue: false,
    version: 1,
    createdBy: me,
    createdAt: minutesAgo(30),
    updatedBy: me,
    updatedAt: minutesAgo(30),
    ...overrides,
  };
}

function conflict(what: string, current: number, sent: number) {
  return HttpResponse.json(
    errorBody(
      'ConflictError',
      `${what} is at version ${current}, not ${sent}`,
      409,
    ),
    { status: 409 },
  );
}

function notFound(what: string) {
  return HttpResponse.json(errorBody('NotFoundError', `No ${what}`, 404), {
    status: 404,
  });
}

/**
 * The post-mortem routes of the ops backend on msw, versioned as the
 * backend is (a stale write gets 409), keeping what they were sent in
 * `requests`. Use beside fakeOpsBackend for the incidents.
 */
export function fakePostmortemsBackend(
  server: SetupServer,
  initial: { postmortems?: Postmortem[]; actionItems?: ActionItem[] } = {},
) {
  const state = {
    postmortems: [...(initial.postmortems ?? [])],
    actionItems: [...(initial.actionItems ?? [])],
    requests: [] as { method: string; path: string; body?: unknown }[],
  };
  const record = (request: Request, body?: unknown) =>
    state.requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body,
    });
  const find = (id: unknown) => state.postmortems.findIndex(p => p.id === id);

  server.use(
    http.get(`${BACKEND}/incidents/:id/postmortem`, ({ params }) => {
      const found = state.postmortems.find(p => p.incidentId === params.id);
      return found ? HttpResponse.json(found) : notFound('post-mortem');
    }),
    http.post(`${BACKEND}/incidents/:id/postmortem`, ({ request, params }) => {
      record(request);
      const postmortem = aPostmortem({
        id: `pm-${state.postmortems.length + 100}`,
        incidentId: String(params.id),
      });
      state.postmortems.push(postmortem);
      return HttpResponse.json(postmortem, { status: 201 });
    }),
    http.get(`${BACKEND}/postmortems`, () =>
      HttpResponse.json({ items: state.postmortems }),
    ),
    http.get(`${BACKEND}/postmortems/:id`, ({ params }) => {
      const index = find(params.id);
      return index >= 0
        ? HttpResponse.json(state.postmortems[index])
        : notFound('post-mortem');
    }),
    http.put(`${BACKEND}/postmortems/:id`, async ({ request, params }) => {
      const body = (await request.json()) as UpdatePostmortemRequest;
      record(request, body);
      const index = find(params.id);
      const current = state.postmortems[index];
      if (current.version !== body.version) {
        return conflict('Post-mortem', current.version, body.version);
      }
      const { version, ...changes } = body;
      state.postmortems[index] = {
        ...current,
        ...changes,
        version: version + 1,
      };
      return HttpResponse.json(state.postmortems[index]);
    }),
    http.post(
      `${BACKEND}/postmortems/:id/status`,
      async ({ request, params }) => {
        const body = (await request.json()) as ChangePostmortemStatusRequest;
        record(request, body);
        const index = find(params.id);
        const current = state.postmortems[index];
        if (current.version !== body.version) {
          return conflict('Post-mortem', current.version, body.version);
        }
        state.postmortems[index] = {
          ...current,
          status: body.status,
          version: current.version + 1,
        };
        return HttpResponse.json(state.postmortems[index]);
      },
    ),
    http.post(
      `${BACKEND}/postmortems/:id/action-items`,
      async ({ request, params }) => {
        const body = (await request.json()) as CreateActionItemRequest;
        record(request, body);
        const item = anActionItem({
          id: `ai-${state.actionItems.length + 100}`,
          postmortemId: String(params.id),
          ...body,
        });
        state.actionItems.push(item);
        return HttpResponse.json(item, { status: 201 });
      },
    ),
    http.get(`${BACKEND}/action-items`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      const items = state.actionItems.filter(
        item =>
          (!query.get('entityRef') ||
            item.entityRef === query.get('entityRef')) &&
          (!query.get('postmortemId') ||
            item.postmortemId === query.get('postmortemId')) &&
          (!query.get('status') || item.status === query.get('status')),
      );
      return HttpResponse.json({ items });
    }),
    http.patch(`${BACKEND}/action-items/:id`, async ({ request, params }) => {
      const body = (await request.json()) as UpdateActionItemRequest;
      record(request, body);
      const index = state.actionItems.findIndex(i => i.id === params.id);
      const current = state.actionItems[index];
      if (current.version !== body.version) {
        return conflict('Action item', current.version, body.version);
      }
      const { version, ...changes } = body;
      state.actionItems[index] = {
        ...current,
        ...changes,
        version: version + 1,
      };
      return HttpResponse.json(state.actionItems[index]);
    }),
  );

  return { state };
}
