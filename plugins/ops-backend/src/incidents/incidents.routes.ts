import {
  AppendIncidentEventRequest,
  CreateIncidentRequest,
  INCIDENT_STATUSES,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import { Audited } from '../http/audit';
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
  const { incidents, audited, credentials } = deps;

  router.get('/severities', async (_req: Request, res: Response) => {
    res.json({ items: incidents.severities });
  });

  router.get('/incidents', async (req: Request, res: Response) => {
    const filter = {
      ...pageFilter(req.query),
      status: queryEnumList(req.query, 'status', INCIDENT_STATUSES),
      severity: queryList(req.query, 'severity'),
    };
    res.json(
      await audited(
        req,
        'incident-fetch',
        { queryType: 'list', entityRef: filter.entityRef ?? null },
        async () => incidents.list(filter, await credentials(req)),
        'low',
      ),
    );
  });

  router.post('/incidents', async (req: Request, res: Response) => {
    const body: CreateIncidentRequest = req.body;
    const incident = await audited(
      req,
      'incident-create',
      { entityRef: body.entityRef, severity: body.severity },
      async () => incidents.create(body, await credentials(req)),
      body.severity === incidents.severities[0]?.id ? 'high' : 'medium',
    );
    res.status(201).json(incident);
  });

  router.get('/incidents/:id', async (req: Request, res: Response) => {
    res.json(
      await audited(
        req,
        'incident-fetch',
        { queryType: 'by-id', id: req.params.id },
        async () => incidents.get(req.params.id, await credentials(req)),
        'low',
      ),
    );
  });

  router.patch('/incidents/:id', async (req: Request, res: Response) => {
    const body: UpdateIncidentRequest = req.body;
    res.json(
      await audited(
        req,
        'incident-update',
        { id: req.params.id, fields: Object.keys(body) },
        async () =>
          incidents.update(req.params.id, body, await credentials(req)),
      ),
    );
  });

  router.get('/incidents/:id/events', async (req: Request, res: Response) => {
    const items = await audited(
      req,
      'incident-fetch',
      { queryType: 'events', id: req.params.id },
      async () => incidents.listEvents(req.params.id, await credentials(req)),
      'low',
    );
    res.json({ items });
  });

  router.post('/incidents/:id/events', async (req: Request, res: Response) => {
    const body: AppendIncidentEventRequest = req.body;
    const event = await audited(
      req,
      'incident-event-append',
      { incidentId: req.params.id, type: body.type },
      async () =>
        incidents.appendEvent(req.params.id, body, await credentials(req)),
      'low',
    );
    res.status(201).json(event);
  });
}
