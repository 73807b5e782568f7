/*
 * A deployment history whose DORA figures can be worked out by hand, for
 * `yarn bench:dora` and for the ops backend's test that the /dora endpoint
 * computes them (plugins/ops-backend/src/doraSeed.test.ts).
 *
 * Thirteen whole weeks (91 days, Sunday to Saturday), starting on a given
 * Sunday:
 *   - 6 production deployments a day, at 01, 05, 09, 13, 17 and 21 h UTC,
 *     committed 30, 60, 90, 120, 150 and 180 minutes before: 546 deployments;
 *   - on each Monday, the 09 h deployment is rolled back at 09:30: 13
 *     rollback events (not deployments of a change);
 *   - 50 incidents, incident i (0..49) starting on day i+1 at 02:00 and
 *     resolved 10*(i+1) minutes later; incidents 0..25 name as their cause
 *     the 13 h deployment of the first 26 Tuesdays and Wednesdays; the others
 *     name none.
 *
 * By hand:
 *   - deployment frequency: 546 deployments over 91 days = 6 a day; every
 *     week has 7 days with a deployment (median 7 >= 3): daily;
 *   - lead time: 91 copies each of 30..180 minutes; the median of 546 values
 *     is the mean of the 273rd and 274th: 90 and 120, so 105 minutes (one day);
 *   - change failure rate: 13 rolled back + 26 named by an incident, all
 *     distinct deployments (Mondays 09 h vs Tuesdays/Wednesdays 13 h):
 *     39 / 546 = 1/14 = 0.0714... (0-15 %);
 *   - time to restore: 10, 20, ..., 500 minutes; the median of 50 values is
 *     the mean of the 25th and 26th, 250 and 260: 255 minutes (one day).
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const DEPLOY_HOURS = [1, 5, 9, 13, 17, 21];

export const EXPECTED = {
  days: 91,
  deployments: 546,
  perDay: 6,
  frequencyBucket: 'daily',
  leadTimeSamples: 546,
  medianLeadTimeMinutes: 105,
  failures: 39,
  changeFailureRate: 39 / 546,
  changeFailureRateBucket: '0-15%',
  restoreSamples: 50,
  medianTimeToRestoreMinutes: 255,
  weeks: 13,
};

const iso = ms => new Date(ms).toISOString();

/**
 * The history from `sunday` (an ISO date of a Sunday, 00:00 UTC):
 * deployments with a `key` each, incidents naming a deployment by key, and
 * the window to ask the figures for.
 */
export function doraHistory(sunday, { entityRef, environment }) {
  const start = Date.parse(sunday);
  if (new Date(start).getUTCDay() !== 0 || start % DAY !== 0) {
    throw new Error(`${sunday} is not a Sunday at 00:00 UTC`);
  }
  const deployments = [];
  for (let day = 0; day < EXPECTED.days; day++) {
    DEPLOY_HOURS.forEach((hour, index) => {
      const at = start + day * DAY + hour * 60 * MINUTE;
      deployments.push({
        key: `${day}-${hour}`,
        body: {
          entityRef,
          environment,
          version: `1.${day}.${index}`,
          commitSha: (day * 6 + index + 1).toString(16).padStart(7, '0'),
          commitTime: iso(at - (index + 1) * 30 * MINUTE),
          startedAt: iso(at - 5 * MINUTE),
          finishedAt: iso(at),
          status: 'succeeded',
        },
      });
      if (new Date(at).getUTCDay() === 1 && hour === 9) {
        deployments.push({
          key: `${day}-rollback`,
          body: {
            entityRef,
            environment,
            version: `1.${day}.${index - 1}`,
            startedAt: iso(at + 25 * MINUTE),
            finishedAt: iso(at + 30 * MINUTE),
            status: 'rolled-back',
            description: 'Rollback',
          },
        });
      }
    });
  }
  const causes = [];
  for (let day = 0; day < EXPECTED.days && causes.length < 26; day++) {
    const weekday = new Date(start + day * DAY).getUTCDay();
    if (weekday === 2 || weekday === 3) causes.push(`${day}-13`);
  }
  const incidents = [];
  for (let i = 0; i < 50; i++) {
    const startedAt = start + (i + 1) * DAY + 2 * 60 * MINUTE;
    incidents.push({
      causeKey: causes[i],
      create: {
        entityRef,
        title: `Bench incident ${i + 1}`,
        severity: 'SEV3',
        startedAt: iso(startedAt),
        detectedAt: iso(startedAt + MINUTE),
      },
      resolvedAt: iso(startedAt + 10 * (i + 1) * MINUTE),
    });
  }
  return {
    deployments,
    incidents,
    window: { from: iso(start), to: iso(start + EXPECTED.days * DAY - 1) },
  };
}

/**
 * Posts the history through the ops API with `post(path, body)` and
 * `patch(path, body)`, which resolve with the response's JSON.
 */
export async function seedDoraHistory(history, { post, patch }) {
  const ids = new Map();
  for (const deployment of history.deployments) {
    const created = await post('/deployments', deployment.body);
    ids.set(deployment.key, created.id);
  }
  for (const incident of history.incidents) {
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
  }
}

/** The differences between a /dora answer and the hand computation. */
export function compareWithHandComputation(dora) {
  const actual = {
    days: dora.deploymentFrequency.days,
    deployments: dora.deploymentFrequency.deployments,
    perDay: dora.deploymentFrequency.perDay,
    frequencyBucket: dora.deploymentFrequency.bucket,
    leadTimeSamples: dora.leadTimeForChanges.samples,
    medianLeadTimeMinutes: dora.leadTimeForChanges.medianMinutes,
    failures: dora.changeFailureRate.failures,
    changeFailureRate: dora.changeFailureRate.rate,
    changeFailureRateBucket: dora.changeFailureRate.bucket,
    restoreSamples: dora.timeToRestore.samples,
    medianTimeToRestoreMinutes: dora.timeToRestore.medianMinutes,
    weeks: dora.trend.length,
  };
  return Object.keys(EXPECTED)
    .filter(key =>
      typeof EXPECTED[key] === 'number'
        ? Math.abs(EXPECTED[key] - actual[key]) > 1e-9
        : EXPECTED[key] !== actual[key],
    )
    .map(key => `${key}: expected ${EXPECTED[key]}, got ${actual[key]}`);
}
