import { DatabaseService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';
import { EntityAccess } from '../access/EntityAccess';
import { DeploymentsService } from '../deployments/DeploymentsService';
import { OpsEvents } from '../events/OpsEvents';
import { IncidentsService } from '../incidents/IncidentsService';
import { IncidentStore } from '../incidents/IncidentStore';
import { OnCallService } from '../oncall/OnCallService';
import { PrometheusServers } from '../slo/PrometheusServers';
import { SloService } from '../slo/SloService';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { createLearningCheck } from '../readiness/checks/learning';
import { DatabasePostmortemStore } from './DatabasePostmortemStore';
import { findOverdueLearning, OverdueLearning } from './overdueLearning';
import { gatherPostmortemFacts } from './PostmortemFacts';
import { readPostmortemsConfig } from './postmortemsConfig';
import { PostmortemsService } from './PostmortemsService';
import { PrometheusSloSpendReader } from './SloSpendReader';

export { PostmortemsService } from './PostmortemsService';
export { bindPostmortemRoutes } from './postmortems.routes';

/** The post-mortem service of the plugin, on its database and the other services. */
export async function createPostmortems(deps: {
  config: Config;
  database: DatabaseService;
  access: EntityAccess;
  catalog: CatalogService;
  severities: SeverityLevel[];
  incidents: IncidentsService;
  incidentStore: IncidentStore;
  deployments: DeploymentsService;
  onCall: OnCallService;
  slos: SloService;
  prometheus: PrometheusServers;
  events: OpsEvents;
}): Promise<{
  service: PostmortemsService;
  store: DatabasePostmortemStore;
  /** The readiness item "learning from incidents". */
  learningCheck: ReadinessCheck;
  /** Everything overdue across services, for the notifications. */
  overdue: (now: Date) => Promise<OverdueLearning>;
}> {
  const options = readPostmortemsConfig(
    deps.config,
    deps.severities.map(s => s.id),
  );
  const store = await DatabasePostmortemStore.create(deps);
  const sloSpend = new PrometheusSloSpendReader({
    slos: deps.slos,
    servers: deps.prometheus,
  });
  const service = new PostmortemsService({
    store,
    access: deps.access,
    catalog: deps.catalog,
    incidents: deps.incidents,
    facts: (incident, credentials) =>
      gatherPostmortemFacts(
        incident,
        {
          incidents: deps.incidentStore,
          deployments: deps.deployments,
          onCall: deps.onCall,
          slos: sloSpend,
          severities: deps.severities,
          lookbackHours: options.deploymentLookbackHours,
        },
        credentials,
      ),
    options,
    events: deps.events,
  });
  const learning = { store, incidents: deps.incidentStore, options };
  return {
    service,
    store,
    learningCheck: createLearningCheck(learning),
    overdue: now => findOverdueLearning(learning, undefined, now),
  };
}
