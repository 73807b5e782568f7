import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { databaseTargetsOf, Drill } from '@opsdeck/plugin-ops-common';
import { objectivesVerdict } from './drillObjectives';
import { OpsActionDeps } from './types';

/** The statuses of an incident that still needs attention. */
const UNRESOLVED = ['open', 'investigating', 'mitigated'] as const;
/** Unresolved incidents one call lists; more is a page of list-incidents. */
const OPEN_INCIDENTS_LIMIT = 50;
/** Backup-restore drills read to find the newest of each target. */
const DRILLS_SCANNED = 100;

/**
 * Everything an on-call engineer asks about one service, read with the
 * caller's credentials from the services behind the HTTP API: each part is
 * what the matching endpoint answers (readiness, slos, oncall, incidents,
 * deployments, dora), so an agent and the Operations tab see the same facts.
 */
export async function readServiceOperations(
  deps: OpsActionDeps,
  entityRef: string,
  caller: BackstageCredentials,
) {
  const entity = await deps.access.readableEntity(entityRef, caller);
  const ref = stringifyEntityRef(entity);
  const targets = databaseTargetsOf(entity);
  const [readiness, slos, openIncidents, onCall, drills, deployments, dora] =
    await Promise.all([
      deps.readiness.getReadiness(ref, { credentials: caller }),
      deps.slos.evaluate(ref, caller),
      deps.incidents.list(
        {
          entityRef: ref,
          status: [...UNRESOLVED],
          limit: OPEN_INCIDENTS_LIMIT,
        },
        caller,
      ),
      deps.onCall.getOnCall(ref, caller),
      targets.length > 0
        ? deps.drills.list(
            { entityRef: ref, kind: ['backup-restore'], limit: DRILLS_SCANNED },
            caller,
          )
        : { items: [] as Drill[] },
      deps.deployments.list({ entityRef: ref, limit: 1 }, caller),
      deps.deployments.dora({ entityRef: ref }, caller),
    ]);
  return {
    entityRef: ref,
    readiness: { ...readiness },
    slos: { ...slos },
    openIncidents: openIncidents.items.map(incident => ({ ...incident })),
    onCall: { ...onCall },
    lastDrills: targets.map(target =>
      lastDrillOf(
        target,
        drills.items.find(d => d.target === target),
      ),
    ),
    lastDeployment: deployments.items[0]
      ? { ...deployments.items[0] }
      : undefined,
    dora: { ...dora },
  };
}

/** A target's newest backup-restore drill, in the figures an agent compares. */
function lastDrillOf(target: string, drill: Drill | undefined) {
  if (!drill) {
    return { target };
  }
  return {
    target,
    drillId: drill.id,
    status: drill.status,
    startedAt: drill.startedAt,
    finishedAt: drill.finishedAt,
    rtoSeconds: drill.rtoSeconds,
    rpoSeconds: drill.rpoSeconds,
    objectives: drill.objectives,
    verdict: objectivesVerdict(drill),
  };
}
