import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError, ResponseError } from '@backstage/errors';
import {
  CreateDeploymentRequest,
  DeploymentStatus,
  DrillKind,
  DrillStatus,
} from '@opsdeck/plugin-ops-common';
import { OpsService, opsServiceRef } from '@opsdeck/plugin-ops-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

type ExampleIncident = {
  title: string;
  severity: string;
  status?: 'open' | 'investigating';
  detected: string;
  mitigated?: string;
  resolved?: string;
  commander?: string;
  summary?: string;
  rootCause?: string;
  notes?: string[];
  postmortem?: ExamplePostmortem;
};

type ExamplePostmortem = {
  published?: boolean;
  /** owner: a user or group entity ref; due: this many days from now. */
  actionItems?: Array<{ title: string; owner: string; dueInDays: number }>;
};

type ExampleDrill = {
  kind: DrillKind;
  target: string;
  started: string;
  status: DrillStatus;
  rto?: number;
  rpo?: number;
  /** name, seconds, output */
  steps?: Array<[string, number, string]>;
  /** name, passed */
  verification?: Array<[string, boolean]>;
};

type ExampleDeployment = {
  environment: string;
  version: string;
  commit?: string;
  committed?: string;
  /** The image CI deployed: links the record to the Kubernetes revision. */
  image?: string;
  started: string;
  finished?: string;
  status: DeploymentStatus;
  description?: string;
};

type ExampleRecords = {
  services: Record<
    string,
    {
      incidents?: ExampleIncident[];
      drills?: ExampleDrill[];
      deployments?: ExampleDeployment[];
    }
  >;
};

const UNIT_MS = { d: 86400_000, h: 3600_000, m: 60_000 } as const;

/** "12d-25m": twelve days ago, then twenty-five minutes later. */
export function relativeTime(expression: string, now: Date): string {
  const match = /^(\d+)([dhm])(?:-(\d+)([dhm]))?$/.exec(expression);
  if (!match) {
    throw new Error(
      `Invalid relative time '${expression}', e.g. 12d or 12d-25m`,
    );
  }
  const [, ago, agoUnit, later, laterUnit] = match;
  const ms =
    now.getTime() -
    Number(ago) * UNIT_MS[agoUnit as keyof typeof UNIT_MS] +
    (later ? Number(later) * UNIT_MS[laterUnit as keyof typeof UNIT_MS] : 0);
  return new Date(ms).toISOString();
}

/**
 * An example drill's report, laid out as the drill actions write theirs
 * (renderDrillReport): the verdict first, then RTO and RPO, what was
 * verified, and each step with its duration.
 */
function drillReport(entityRef: string, drill: ExampleDrill): string {
  const title = drill.kind === 'failover' ? 'failover' : 'backup-restore drill';
  const seconds = (value?: number) =>
    value === undefined ? 'not measured' : `${value} s`;
  const lines = [
    `## ${drill.status.toUpperCase()}: ${title} of ${drill.target}`,
    '',
    `RTO ${seconds(drill.rto)} · RPO ${seconds(drill.rpo)}`,
    '',
    '_An example record of the demo data (examples/ops-records.yaml)._',
    '',
    '### Verification',
    '',
    ...(drill.verification ?? []).map(
      ([name, passed]) => `- ${passed ? 'passed' : '**FAILED**'}: ${name}`,
    ),
    '',
    '### Steps',
    '',
    ...(drill.steps ?? []).map(
      ([name, s, out]) => `- **${name}** (${s} s): ${out}`,
    ),
    '',
    `Entity \`${entityRef}\`.`,
    '',
  ];
  return lines.join('\n');
}

/**
 * Records a deployment as CI does: POST /api/ops/deployments with the CI's
 * static token, so that the record says who made it (the token's subject).
 */
async function postAsCi(
  ci: { baseUrl: string; token: string },
  request: CreateDeploymentRequest,
) {
  const res = await fetch(`${ci.baseUrl}/deployments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ci.token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(request),
  });
  if (res.status === 404) {
    throw new NotFoundError(`${request.entityRef} is not in the catalog yet`);
  }
  if (!res.ok) {
    throw await ResponseError.fromResponse(res);
  }
}

/** The ops backend's HTTP API, as the example module calls it. */
type OpsHttp = (
  method: string,
  route: string,
  body?: object,
) => Promise<{ id: string; version: number }>;

function opsHttp(baseUrl: string, token: string): OpsHttp {
  return async (method, route, body) => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.json();
  };
}

/**
 * Starts the incident's post-mortem (the draft written from its facts), adds
 * its action items and publishes it. Through HTTP: OpsService has no
 * post-mortem methods.
 */
async function seedPostmortem(
  http: OpsHttp,
  incidentId: string,
  example: ExamplePostmortem,
  now: Date,
) {
  let postmortem = await http('POST', `/incidents/${incidentId}/postmortem`);
  for (const item of example.actionItems ?? []) {
    const due = new Date(now.getTime() + item.dueInDays * UNIT_MS.d);
    await http('POST', `/postmortems/${postmortem.id}/action-items`, {
      title: item.title,
      ownerRef: item.owner,
      dueDate: due.toISOString().slice(0, 10),
    });
  }
  if (example.published) {
    for (const status of ['in-review', 'published']) {
      postmortem = await http('POST', `/postmortems/${postmortem.id}/status`, {
        status,
        version: postmortem.version,
      });
    }
  }
}

/** Writes the example records of one service through the ops API. */
async function seedService(
  ops: OpsService,
  credentials: Parameters<OpsService['createIncident']>[1]['credentials'],
  entityRef: string,
  records: ExampleRecords['services'][string],
  now: Date,
  http: OpsHttp,
  ci?: { baseUrl: string; token: string },
) {
  const options = { credentials };
  for (const example of records.deployments ?? []) {
    const request: CreateDeploymentRequest = {
      entityRef,
      environment: example.environment,
      version: example.version,
      commitSha: example.commit,
      commitTime: example.committed && relativeTime(example.committed, now),
      image: example.image,
      startedAt: relativeTime(example.started, now),
      finishedAt: example.finished && relativeTime(example.finished, now),
      status: example.status,
      description: example.description,
    };
    // a rollback is no CI's: it is recorded by the backend itself
    if (ci && example.status !== 'rolled-back') {
      await postAsCi(ci, request);
    } else {
      await ops.createDeployment(request, options);
    }
  }
  for (const example of records.incidents ?? []) {
    let incident = await ops.createIncident(
      {
        entityRef,
        title: example.title,
        severity: example.severity,
        commander: example.commander,
        summary: example.summary,
        detectedAt: relativeTime(example.detected, now),
      },
      options,
    );
    for (const message of example.notes ?? []) {
      await ops.appendIncidentEvent(
        { incidentId: incident.id, type: 'note', message },
        options,
      );
    }
    const status = example.resolved ? 'resolved' : example.status;
    if (status) {
      incident = await ops.updateIncident(
        {
          id: incident.id,
          version: incident.version,
          status,
          mitigatedAt:
            example.mitigated && relativeTime(example.mitigated, now),
          resolvedAt: example.resolved && relativeTime(example.resolved, now),
          rootCause: example.rootCause,
        },
        options,
      );
    }
    if (example.postmortem) {
      await seedPostmortem(http, incident.id, example.postmortem, now);
    }
  }

  for (const example of records.drills ?? []) {
    const startedAt = relativeTime(example.started, now);
    const drill = await ops.createDrill(
      { entityRef, kind: example.kind, target: example.target, startedAt },
      options,
    );
    let at = Date.parse(startedAt);
    for (const [name, seconds, output] of example.steps ?? []) {
      const finishedAt = at + seconds * 1000;
      await ops.upsertDrillStep(
        {
          drillId: drill.id,
          name,
          status: 'succeeded',
          startedAt: new Date(at).toISOString(),
          finishedAt: new Date(finishedAt).toISOString(),
          output,
        },
        options,
      );
      at = finishedAt;
    }
    await ops.updateDrill(
      {
        id: drill.id,
        status: example.status,
        finishedAt: new Date(at).toISOString(),
        rtoSeconds: example.rto,
        rpoSeconds: example.rpo,
        verification: (example.verification ?? []).map(([name, passed]) => ({
          name,
          passed,
        })),
        report: drillReport(entityRef, example),
      },
      options,
    );
  }
}

async function seedAll(options: {
  ops: OpsService;
  credentials: Parameters<OpsService['createIncident']>[1]['credentials'];
  file: string;
  logger: LoggerService;
  http: OpsHttp;
  ci?: { baseUrl: string; token: string };
}): Promise<boolean> {
  const { ops, credentials, file, logger, http, ci } = options;
  const records = parse(await fs.readFile(file, 'utf8')) as ExampleRecords;
  let done = true;
  for (const [entityRef, serviceRecords] of Object.entries(records.services)) {
    try {
      const existing = await ops.listIncidents(
        { entityRef, limit: 1 },
        { credentials },
      );
      if (existing.items.length > 0) {
        continue;
      }
      await seedService(
        ops,
        credentials,
        entityRef,
        serviceRecords,
        new Date(),
        http,
        ci,
      );
      logger.info(`Wrote example OpsDeck records for ${entityRef}`);
    } catch (error) {
      // The catalog may not have ingested the example entities yet.
      if ((error as Error).name !== NotFoundError.name) {
        logger.warn(`Example records for ${entityRef} failed: ${error}`);
      }
      done = false;
    }
  }
  return done;
}

/**
 * Fills the example services with deployments, incidents and drills, through the ops API
 * like any other writer, so `make start` shows live-looking data. Enabled by
 * `opsdeckExamples.records` (a path relative to the backend's working
 * directory); each service is written once, when it has no incidents.
 */
export const exampleRecordsModule = createBackendModule({
  pluginId: 'ops',
  moduleId: 'example-records',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        ops: opsServiceRef,
      },
      async init({ config, logger, auth, scheduler, discovery, ops }) {
        const file = config.getOptionalString('opsdeckExamples.records');
        if (!file) {
          return;
        }
        const ciToken = config.getOptionalString('opsdeckExamples.ciToken');
        let seeded = false;
        await scheduler.scheduleTask({
          id: 'opsdeck-example-records',
          frequency: { seconds: 10 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            if (seeded) {
              return;
            }
            const credentials = await auth.getOwnServiceCredentials();
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: credentials,
              targetPluginId: 'ops',
            });
            seeded = await seedAll({
              ops,
              credentials,
              http: opsHttp(await discovery.getBaseUrl('ops'), token),
              file: path.resolve(file),
              logger,
              ci: ciToken
                ? { baseUrl: await discovery.getBaseUrl('ops'), token: ciToken }
                : undefined,
            });
          },
        });
      },
    });
  },
});
