import { DatabaseEndpoint, DatabaseTarget } from '../postgres/config';
import { formatDuration } from './judgement';
import { WriterFence } from '../postgres/replication/fencing';
import { createClientRouter } from '../postgres/pgbouncer/PgBouncerRouter';
import {
  addressOf,
  Preflight,
  summarizeChecks,
} from '../postgres/replication/preflight';
import { PatroniPreflight } from '../postgres/patroni/preflight';

/** Why a failover is refused, or undefined when it may go ahead. */
export function refusal(
  target: string,
  preflight: Preflight,
  force: boolean,
): string | undefined {
  if (!preflight.blocked && (preflight.passed || force)) {
    return undefined;
  }
  const failed = preflight.checks
    .filter(check => !check.passed)
    .map(check => `${check.name}: ${check.detail}`)
    .join('; ');
  const override = preflight.blocked
    ? ''
    : ' (force with a reason overrides this)';
  return `Refusing to fail ${target} over: ${failed}${override}. Nothing was changed.`;
}

/** The dry run's account: the preflight, then what a real run would do. */
export function planFailover(options: {
  target: DatabaseTarget;
  entityRef: string;
  preflight: Preflight;
  force: boolean;
  fence: WriterFence;
  candidate?: DatabaseEndpoint;
  patroni?: Pick<PatroniPreflight, 'leader' | 'candidate' | 'leaderReachable'>;
}): string[] {
  const { target, entityRef, preflight, force, fence, candidate, patroni } =
    options;
  const settings = target.failover;
  const plan = [
    `preflight ${preflight.passed ? 'passed' : 'FAILED'}: ${summarizeChecks(
      preflight.checks,
    )}`,
  ];
  const refused = refusal(target.name, preflight, force);
  if (refused || !candidate) {
    plan.push(`would refuse: ${refused}`);
    return plan;
  }
  const to = addressOf(candidate);
  plan.push(
    `would record a failover drill of ${target.name} for ${entityRef} and declare a ${settings.incidentSeverity} incident`,
  );
  const router = createClientRouter(settings.repoint);
  if (router) {
    plan.push(`would hold the clients: ${router.describe()}`);
  }
  if (patroni) {
    return [...plan, ...planPatroniSwitchover(target, patroni, candidate)];
  }
  if (preflight.primaryReachable) {
    plan.push(
      `would ${fence.describe()}`,
      `would wait up to ${formatDuration(
        settings.catchUpTimeoutSeconds,
      )} for ${to} to replay everything the fenced primary wrote`,
    );
  } else {
    plan.push(
      'would not fence: the old primary is unreachable',
      'would promote with what the replica received',
    );
  }
  plan.push(`would promote ${to} with pg_promote()`);
  const repointing = [
    ...(router
      ? [
          `would point ${router.kind} at ${to} (RELOAD) and RESUME it once ${to} accepts writes`,
        ]
      : []),
    ...(settings.connectionFile
      ? [`would rewrite ${settings.connectionFile.path} to name ${to}`]
      : []),
  ];
  plan.push(
    ...(repointing.length
      ? repointing
      : ['would not repoint clients (no connection file configured)']),
    `would verify a write into ${settings.canaryTable} on the new primary and that the old primary refuses writes`,
  );
  return plan;
}

/** What a Patroni switchover would do: Patroni fences and promotes, OpsDeck asks and checks. */
function planPatroniSwitchover(
  target: DatabaseTarget,
  patroni: Pick<PatroniPreflight, 'leader' | 'candidate' | 'leaderReachable'>,
  candidate: DatabaseEndpoint,
): string[] {
  const settings = target.failover;
  const to = `${patroni.candidate?.name} (${addressOf(candidate)})`;
  return [
    patroni.leader && patroni.leaderReachable
      ? `would ask Patroni to switch over: POST ${patroni.leader.api.url}/switchover {leader: ${patroni.leader.name}, candidate: ${patroni.candidate?.name}}`
      : `would ask Patroni to fail over (the leader is unreachable): POST /failover {candidate: ${patroni.candidate?.name}}`,
    `would wait up to ${formatDuration(
      settings.ha!.timeoutSeconds,
    )} for ${to} to lead`,
    settings.connectionFile
      ? `would rewrite ${settings.connectionFile.path} to name ${addressOf(
          candidate,
        )}`
      : 'would not repoint clients (no connection file configured): they find the leader through Patroni',
    `would verify a write into ${settings.canaryTable} on ${to}, that ${
      patroni.leader?.name ?? 'the old leader'
    } streams from it and refuses writes, and measure data loss from Patroni's timeline history`,
    'would not call pg_promote or ALTER SYSTEM: Patroni owns promotion and fencing',
  ];
}
