import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { EntityAccess } from '../access/EntityAccess';
import { checkServicePrincipal, ServicePrincipals } from '../access/principals';
import { DeploymentsService } from '../deployments/DeploymentsService';
import { DrillsService } from '../drills/DrillsService';
import { IncidentsService } from '../incidents/IncidentsService';
import { OnCallService } from '../oncall/OnCallService';
import { ReadinessService } from '../readiness/ReadinessService';
import { SloService } from '../slo/SloService';
import { AuditedAction } from './auditedAction';

/** What OpsDeck's actions call: the services the HTTP routes call. */
export interface OpsActionDeps {
  access: EntityAccess;
  incidents: IncidentsService;
  drills: DrillsService;
  slos: SloService;
  onCall: OnCallService;
  readiness: ReadinessService;
  deployments: DeploymentsService;
  audited: AuditedAction;
  principals: ServicePrincipals;
}

/**
 * The caller's credentials, admitted as on the HTTP API's user routes: users
 * (the permission policy then decides), and the services `ops.principals`
 * allows. Backstage's permission client allows any service principal before
 * a policy runs, so a service reaching the actions through the MCP server
 * would otherwise write anywhere.
 */
export function callerOf(
  credentials: BackstageCredentials,
  deps: Pick<OpsActionDeps, 'principals'>,
): BackstageCredentials {
  checkServicePrincipal(credentials, deps.principals);
  return credentials;
}
