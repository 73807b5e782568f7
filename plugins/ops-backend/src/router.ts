import {
  AuditorService,
  AuthService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { JsonObject } from '@backstage/types';
import {
  AppendIncidentEventRequest,
  CreateDrillRequest,
  CreateIncidentRequest,
  DrillFilter,
  IncidentFilter,
  UpdateDrillRequest,
  UpdateIncidentRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import express, { Request } from 'express';
import { registerDeploymentRoutes } from './routes/deployments';
import { spec } from './schema/openapi';
import { DeploymentsService } from './service/deployments/DeploymentsService';
import { DrillsService } from './service/DrillsService';
import { IncidentsService } from './service/IncidentsService';
import { OpsMetrics } from './service/OpsMetrics';
import { ReadinessService } from './services/readiness/ReadinessService';
import { registerSloRoutes } from './routes/slo';
import { SloService } from './service/slo/SloService';
import { registerOnCallRoutes } from './routes/oncall';
import { OnCallService } from './service/oncall/OnCallService';
import { AlertmanagerService } from './service/alerts/AlertmanagerService';

/** Query values that may repeat (`?status=open&status=investigating`). */
function list<T extends string>(value: unknown): T[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]) as T[];
}

function pageFilter(query: Record<string, unknown>) {
  return {
    entityRef: query.entityRef as string | undefined,
    from: query.from as string | undefined,
    to: query.to as string | undefined,
    cursor: query.cursor as string | undefined,
    limit: query.limit ? Number(query.limit) : undefined,
  };
}

/**
 * HTTP mapping only: the OpenAPI document validates every request before a
 * handler runs; services decide and throw @backstage/errors.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  auditor: AuditorService;
  readiness: ReadinessService;
  incidents: IncidentsService;
  drills: DrillsService;
  metrics: OpsMetrics;
  slos: SloService;
  onCall: OnCallService;
  alertmanager: AlertmanagerService;
  deployments: DeploymentsService;
}): Promise<express.Router> {
  const { httpAuth, auditor, readiness, incidents, drills, metrics } = options;
  const router = createValidatedOpenApiRouter<typeof spec>(spec, {
    middleware: [metrics.requestTimer(), express.json({ limit: '1mb' })],
  });

  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /**
   * Records an access in the audit log with its outcome, so every decision
   * (a write, a refused write, a read of records, a hidden record) is there.
   */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    access: () => Promise<T>,
    severityLevel: AuditorServiceEventSeverityLevel = 'medium',
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await access();
      await event.success({
        meta: { id: (result as { id?: string }).id ?? null },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/readiness', async (req, res) => {
    res.json(
      await readiness.getReadiness(
        (req.query as { entityRef: string }).entityRef,
        {
          credentials: await credentials(req),
        },
      ),
    );
  });

  router.get('/severities', async (_req, res) => {
    res.json({ items: incidents.severities });
  });

  router.get('/incidents', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const filter: IncidentFilter = {
      ...pageFilter(query),
      status: list(query.status),
      severity: list(query.severity),
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

  router.post('/incidents', async (req, res) => {
    const body = req.body as CreateIncidentRequest;
    const incident = await audited(
      req,
      'incident-create',
      { entityRef: body.entityRef, severity: body.severity },
      async () => incidents.create(body, await credentials(req)),
      body.severity === incidents.severities[0]?.id ? 'high' : 'medium',
    );
    res.status(201).json(incident);
  });

  router.get('/incidents/:id', async (req, res) => {
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

  router.patch('/incidents/:id', async (req, res) => {
    const body = req.body as UpdateIncidentRequest;
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

  router.get('/incidents/:id/events', async (req, res) => {
    const items = await audited(
      req,
      'incident-fetch',
      { queryType: 'events', id: req.params.id },
      async () => incidents.listEvents(req.params.id, await credentials(req)),
      'low',
    );
    res.json({ items });
  });

  router.post('/incidents/:id/events', async (req, res) => {
    const body = req.body as AppendIncidentEventRequest;
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

  router.get('/drills', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const filter: DrillFilter = {
      ...pageFilter(query),
      kind: list(query.kind),
      status: list(query.status),
    };
    res.json(
      await audited(
        req,
        'drill-fetch',
        { queryType: 'list', entityRef: filter.entityRef ?? null },
        async () => drills.list(filter, await credentials(req)),
        'low',
      ),
    );
  });

  router.post('/drills', async (req, res) => {
    const body = req.body as CreateDrillRequest;
    const drill = await audited(
      req,
      'drill-create',
      { entityRef: body.entityRef, kind: body.kind, target: body.target },
      async () => drills.create(body, await credentials(req)),
    );
    res.status(201).json(drill);
  });

  router.get('/drills/:id', async (req, res) => {
    res.json(
      await audited(
        req,
        'drill-fetch',
        { queryType: 'by-id', id: req.params.id },
        async () => drills.get(req.params.id, await credentials(req)),
        'low',
      ),
    );
  });

  router.patch('/drills/:id', async (req, res) => {
    const body = req.body as UpdateDrillRequest;
    res.json(
      await audited(
        req,
        'drill-update',
        { id: req.params.id, fields: Object.keys(body) },
        async () => drills.update(req.params.id, body, await credentials(req)),
      ),
    );
  });

  router.put('/drills/:id/steps/:name', async (req, res) => {
    const body = req.body as UpsertDrillStepRequest;
    res.json(
      await audited(
        req,
        'drill-step-update',
        { id: req.params.id, step: req.params.name, status: body.status },
        async () =>
          drills.upsertStep(
            req.params.id,
            req.params.name,
            body,
            await credentials(req),
          ),
        'low',
      ),
    );
  });

  registerSloRoutes(router, { slos: options.slos, credentials });
  registerOnCallRoutes(router, {
    ...options,
    audited,
    credentials,
    // The caller (Alertmanager, with an external access token restricted to
    // this plugin) is checked here; the plugin then reads the catalog and
    // writes the incident as itself, as the token may not reach the catalog.
    serviceCredentials: async req => {
      await httpAuth.credentials(req, { allow: ['service'] });
      return options.auth.getOwnServiceCredentials();
    },
  });
  registerDeploymentRoutes(router, {
    httpAuth,
    audited,
    deployments: options.deployments,
  });

  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}
