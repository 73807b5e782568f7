import {
  ActionItemStatus,
  CreateActionItemRequest,
  PostmortemStatus,
} from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import {
  Audited,
  auditedHandler,
  createEvent,
  readEvent,
  updateEvent,
} from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { queryString } from '../http/query';
import { postmortemFileName } from './markdownExport';
import { PostmortemsService } from './PostmortemsService';

/** The post-mortem endpoints: HTTP mapping only; the spec validated the request. */
export function bindPostmortemRoutes(
  router: OpsRouter,
  deps: {
    postmortems: PostmortemsService;
    audited: Audited;
    credentials: Credentials;
  },
) {
  const { postmortems } = deps;

  router.post(
    '/incidents/:id/postmortem',
    auditedHandler(
      deps,
      req => createEvent('postmortem-create', { incidentId: req.params.id }),
      (req, credentials) => postmortems.create(req.params.id, credentials),
    ),
  );

  router.get(
    '/incidents/:id/postmortem',
    auditedHandler(
      deps,
      req =>
        readEvent('postmortem-fetch', {
          queryType: 'by-incident',
          incidentId: req.params.id,
        }),
      (req, credentials) =>
        postmortems.getOfIncident(req.params.id, credentials),
    ),
  );

  router.get(
    '/postmortems',
    auditedHandler(
      deps,
      req =>
        readEvent('postmortem-fetch', {
          queryType: 'list',
          entityRef: queryString(req.query, 'entityRef') ?? null,
        }),
      (req, credentials) => {
        const overdue = queryString(req.query, 'overdue');
        return postmortems.list(
          {
            entityRef: queryString(req.query, 'entityRef'),
            status: queryString(req.query, 'status') as
              | PostmortemStatus
              | undefined,
            overdue: overdue === undefined ? undefined : overdue === 'true',
          },
          credentials,
        );
      },
    ),
  );

  router.get(
    '/postmortems/:id',
    auditedHandler(
      deps,
      req =>
        readEvent('postmortem-fetch', {
          queryType: 'by-id',
          id: req.params.id,
        }),
      (req, credentials) => postmortems.get(req.params.id, credentials),
    ),
  );

  router.put(
    '/postmortems/:id',
    auditedHandler(
      deps,
      req => updateEvent('postmortem-update', req),
      (req, credentials) =>
        postmortems.update(req.params.id, req.body, credentials),
    ),
  );

  router.post(
    '/postmortems/:id/status',
    auditedHandler(
      deps,
      req => ({
        eventId: 'postmortem-status',
        meta: { id: req.params.id, status: req.body.status },
        severityLevel: req.body.status === 'published' ? 'medium' : 'low',
      }),
      (req, credentials) =>
        postmortems.changeStatus(req.params.id, req.body, credentials),
    ),
  );

  router.get(
    '/postmortems/:id/markdown',
    async (req: Request, res: Response) => {
      const { postmortem, markdown } = await deps.audited(
        req,
        'postmortem-fetch',
        { queryType: 'markdown', id: req.params.id },
        async () =>
          postmortems.exportMarkdown(
            req.params.id,
            await deps.credentials(req),
          ),
        'low',
      );
      res
        .type('text/markdown; charset=utf-8')
        .attachment(postmortemFileName(postmortem))
        .send(markdown);
    },
  );

  router.post(
    '/postmortems/:id/action-items',
    auditedHandler(
      deps,
      req => {
        const { ownerRef }: CreateActionItemRequest = req.body;
        return createEvent(
          'action-item-create',
          { postmortemId: req.params.id, ownerRef },
          'low',
        );
      },
      (req, credentials) =>
        postmortems.addActionItem(req.params.id, req.body, credentials),
    ),
  );

  router.get(
    '/action-items',
    auditedHandler(
      deps,
      req =>
        readEvent('action-item-fetch', {
          queryType: 'list',
          entityRef: queryString(req.query, 'entityRef') ?? null,
        }),
      (req, credentials) =>
        postmortems.listActionItems(
          {
            entityRef: queryString(req.query, 'entityRef'),
            postmortemId: queryString(req.query, 'postmortemId'),
            status: queryString(req.query, 'status') as
              | ActionItemStatus
              | undefined,
          },
          credentials,
        ),
    ),
  );

  router.patch(
    '/action-items/:id',
    auditedHandler(
      deps,
      req => updateEvent('action-item-update', req),
      (req, credentials) =>
        postmortems.updateActionItem(req.params.id, req.body, credentials),
    ),
  );
}
