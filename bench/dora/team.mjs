/*
 * The team yarn bench:dora measures: one group owning SERVICES components.
 * The first service gets the hand-computed history of doraHistory.mjs (559
 * deployment events, 50 incidents); the others share a generated history of
 * the same 13 weeks that brings the team to DEPLOYMENTS deployment events and
 * INCIDENTS incidents, so the team's window holds every one of them (the
 * widest read a team's DORA card can ask of this history).
 */

import fs from 'node:fs';

export const DEPLOYMENTS = 5000;
export const INCIDENTS = 500;
export const SERVICES = 10;
export const GROUP = 'group:default/bench-team';
export const USER = 'user:default/bench-user';
export const serviceRef = i =>
  `component:default/svc-${String(i + 1).padStart(2, '0')}`;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = ms => new Date(ms).toISOString();

/** The catalog: the group and its services, in one multi-document YAML file. */
export function writeTeamCatalog(file) {
  const docs = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: bench-team\nspec:\n  type: team\n  children: []',
    // the person the reads are made as: a member, so an owner of the services
    `apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: ${
      USER.split('/')[1]
    }\nspec:\n  memberOf: [${GROUP}]`,
  ];
  for (let i = 0; i < SERVICES; i++) {
    docs.push(
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${
        serviceRef(i).split('/')[1]
      }\nspec:\n  type: service\n  lifecycle: production\n  owner: ${GROUP}`,
    );
  }
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
}

/**
 * The other services' history over `window` (as doraHistory's): the
 * deployments and incidents that bring the team to its totals, spread
 * evenly over the window and the services, deterministic. Every 25th
 * deployment failed and every 20th is a rollback; every third incident names
 * a deployment of its service as its cause; every incident is resolved in
 * the window. Also the figures the team's answer must show with them.
 */
export function fillerHistory(handHistory, environment) {
  const from = Date.parse(handHistory.window.from);
  const to = Date.parse(handHistory.window.to);
  const others = SERVICES - 1;
  const count = DEPLOYMENTS - handHistory.deployments.length;
  const deployments = [];
  for (let n = 0; n < count; n++) {
    // deployed (finished) in the window, away from its edges
    const at = from + DAY + Math.floor(((to - from - 2 * DAY) * n) / count);
    const status =
      n % 20 === 19 ? 'rolled-back' : n % 25 === 24 ? 'failed' : 'succeeded';
    deployments.push({
      key: `filler-${n}`,
      body: {
        entityRef: serviceRef(1 + (n % others)),
        environment,
        version: `2.0.${n}`,
        ...(status === 'succeeded'
          ? { commitTime: iso(at - (10 + (n % 60) * 10) * MINUTE) }
          : {}),
        startedAt: iso(at - 4 * MINUTE),
        finishedAt: iso(at),
        status,
      },
    });
  }
  const incidents = [];
  const incidentCount = INCIDENTS - handHistory.incidents.length;
  for (let n = 0; n < incidentCount; n++) {
    const service = 1 + (n % others);
    const startedAt =
      from + DAY + Math.floor(((to - from - 3 * DAY) * n) / incidentCount);
    // a succeeded deployment of the same service (same n % others)
    const cause = deployments.find(
      (d, i) =>
        i >= n * 8 &&
        i % others === service - 1 &&
        d.body.status === 'succeeded',
    );
    incidents.push({
      causeKey: n % 3 === 0 ? cause?.key : undefined,
      create: {
        entityRef: serviceRef(service),
        title: `Bench incident ${n + 1} of the team`,
        severity: 'SEV3',
        startedAt: iso(startedAt),
        detectedAt: iso(startedAt + MINUTE),
      },
      resolvedAt: iso(startedAt + (5 + (n % 120) * 5) * MINUTE),
    });
  }
  const succeeded = deployments.filter(
    d => d.body.status === 'succeeded',
  ).length;
  return {
    deployments,
    incidents,
    window: handHistory.window,
    expected: { succeeded, resolved: incidentCount },
  };
}

/**
 * Posts deployments, then incidents (resolving each), `parallel` requests at
 * a time, with `post` and `patch` as seedDoraHistory takes them.
 */
export async function seedInParallel(history, { post, patch }, parallel = 8) {
  const ids = new Map();
  const inParallel = async (items, work) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < items.length) await work(items[next++]);
      }),
    );
  };
  await inParallel(history.deployments, async d => {
    ids.set(d.key, (await post('/deployments', d.body)).id);
  });
  await inParallel(history.incidents, async incident => {
    const created = await post('/incidents', {
      ...incident.create,
      ...(incident.causeKey
        ? { deploymentId: ids.get(incident.causeKey) }
        : {}),
    });
    await patch(`/incidents/${created.id}`, {
      version: created.version,
      status: 'resolved',
      resolvedAt: incident.resolvedAt,
    });
  });
}
