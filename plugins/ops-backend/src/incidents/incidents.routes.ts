import {
  AppendIncidentEventRequest,
  CreateIncidentRequest,
  INCIDENT_STATUSES,
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
import { pageFilter, queryEnumList, queryList } from '../http/query';
import { IncidentsService } from './IncidentsService';

/** The incident endpoints: HTTP mapping only; the spec validated the request. */
export function bindIncidentRoutes(
  router: OpsRouter,
  deps: {
    incidents: IncidentsService;
    audited: Audited;
    credentials: Credentials;
  },
) {
  const { incidents } = deps;

  router.get('/severities', async (_req: Request, res: Response) => {
    res.json({ items: incidents.severities });
  });

  router.get(
    '/incidents',
    auditedHandler(
      deps,
      req =>
        readEvent('incident-fetch', {
          queryType: 'list',
          entityRef: pageFilter(req.query).entityRef ?? null,
        }),
      (req, credentials) =>
        incidents.list(
          {
            ...pageFilter(req.query),
            status: queryEnumList(req.query, 'status', INCIDENT_STATUSES),
            severity: queryList(req.query, 'severity'),
          },
          credentials,
        ),
    ),
  );

  router.post(
    '/incidents',
    auditedHandler(
      deps,
      req => {
        const { entityRef, severity }: CreateIncidentRequest = req.body;
        return createEvent(
          'incident-create',
          { entityRef, severity },
          severity === incidents.severities[0]?.id ? 'high' : 'medium',
        );
      },
      (req, credentials) => incidents.create(req.body, credentials),
    ),
  );

  router.get(
    '/incidents/:id',
    auditedHandler(
      deps,
      req =>
        readEvent('incident-fetch', { queryType: 'by-id', id: req.params.id }),
      (req, credentials) => incidents.get(req.params.id, credentials),
    ),
  );

  router.patch(
    '/incidents/:id',
    auditedHandler(
      deps,
      req => updateEvent('incident-update', req),
      (req, credentials) =>
        incidents.update(req.params.id, req.body, credentials),
    ),
  );

  router.get(
    '/incidents/:id/events',
    auditedHandler(
      deps,
      req =>
        readEvent('incident-fetch', { queryType: 'events', id: req.params.id }),
      (req, credentials) => {
        const { cursor, limit } = pageFilter(req.query);
        return incidents.listEvents(
          req.params.id,
          { cursor, limit },
          credentials,
        );
      },
    ),
  );

  router.post(
    '/incidents/:id/events',
    auditedHandler(
      deps,
      req => {
        const { type }: AppendIncidentEventRequest = req.body;
        return createEvent(
          'incident-event-append',
          { incidentId: req.params.id, type },
          'low',
        );
      },
      (req, credentials) =>
        incidents.appendEvent(req.params.id, req.body, credentials),
    ),
  );
}
