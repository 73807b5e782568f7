import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { plainValidationErrors } from './validationMessages';
import express from 'express';
import { AlertmanagerService } from '../alerts/AlertmanagerService';
import { bindAlertRoutes } from '../alerts/alerts.routes';
import { DeploymentsService } from '../deployments/DeploymentsService';
import { bindDeploymentRoutes } from '../deployments/deployments.routes';
import { DrillsService } from '../drills/DrillsService';
import { bindDrillRoutes } from '../drills/drills.routes';
import { IncidentsService } from '../incidents/IncidentsService';
import { bindIncidentRoutes } from '../incidents/incidents.routes';
import { OnCallService } from '../oncall/OnCallService';
import { bindPostmortemRoutes, PostmortemsService } from '../postmortems';
import { bindOnCallRoutes } from '../oncall/oncall.routes';
import { ReadinessService } from '../readiness/ReadinessService';
import { bindReadinessRoutes } from '../readiness/readiness.routes';
import { spec } from '../schema/openapi';
import { SloService } from '../slo/SloService';
import { bindSloRoutes } from '../slo/slo.routes';
import { Audited } from './audit';
import { Credentials } from './credentials';
import { OpsMetrics } from './OpsMetrics';

/** The largest request body; a larger one is answered 413 before parsing. */
const MAX_BODY = '1mb';

/** The router typed from the OpenAPI document, as each domain binds to it. */
export type OpsRouter = ReturnType<
  typeof createValidatedOpenApiRouter<typeof spec>
>;

/**
 * The plugin's HTTP API: the OpenAPI document validates every request before
 * a handler runs; each domain binds its own routes; services decide and throw
 * @backstage/errors.
 */
export function createRouter(deps: {
  audited: Audited;
  /** Users (every route not made for a service). */
  credentials: Credentials;
  /** Users and the services of ops.principals.deployments (POST /deployments). */
  deploymentCredentials: Credentials;
  /** Users and the services of ops.principals.drills (the drill records). */
  drillCredentials: Credentials;
  /** Users and the services of ops.principals.metrics (GET /metrics). */
  metricsCredentials: Credentials;
  /** The services of ops.principals.alertmanager (the webhook). */
  serviceCredentials: Credentials;
  metrics: OpsMetrics;
  /** Limits each principal's writes; undefined: no limit. */
  writeRateLimit?: express.RequestHandler;
  readiness: ReadinessService;
  incidents: IncidentsService;
  drills: DrillsService;
  slos: SloService;
  onCall: OnCallService;
  alertmanager: AlertmanagerService;
  deployments: DeploymentsService;
  postmortems: PostmortemsService;
}): express.Router {
  const { metrics } = deps;
  // Timing, the rate limit and the body are handled in front of the validated
  // router: it turns every error of its own middleware into a 400, and an
  // oversized body must be a 413.
  const front = express.Router();
  front.use(metrics.requestTimer());
  // Before the body is read: a write over the limit costs nothing.
  if (deps.writeRateLimit) {
    front.use(deps.writeRateLimit);
  }
  front.use(express.json({ limit: MAX_BODY }));
  const router = createValidatedOpenApiRouter<typeof spec>(spec, {
    // The body is parsed already; this only keeps the router's default off.
    middleware: [express.json({ limit: MAX_BODY })],
  });
  front.use(router);
  front.use(plainValidationErrors);

  bindReadinessRoutes(router, deps);
  bindIncidentRoutes(router, deps);
  bindDrillRoutes(router, { ...deps, credentials: deps.drillCredentials });
  bindSloRoutes(router, deps);
  bindOnCallRoutes(router, deps);
  bindAlertRoutes(router, deps);
  bindDeploymentRoutes(router, deps);
  bindPostmortemRoutes(router, deps);

  router.get('/metrics', async (req, res) => {
    await deps.metricsCredentials(req);
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return front;
}
