import { DatabaseEndpoint, DatabaseTarget } from '../config';
import { failoverEndpoint } from '../connections';
import { formatBytes } from '../lsn';
import {
  addressOf,
  inspectServer,
  judgePreflight,
  Preflight,
  PreflightCheck,
  ServerState,
} from '../replication/preflight';
import { messageOf } from '../../errors';
import { PatroniClient, PatroniCluster } from './client';
import { PatroniMember } from './config';

/** A Patroni member with the PostgreSQL endpoint OpsDeck reaches it by. */
export interface PatroniNode {
  name: string;
  /** The member's REST API, from the config. */
  api: PatroniMember;
  /** The target's configured endpoint with the host:port /cluster reports. */
  endpoint: DatabaseEndpoint;
}

/** The preflight of a Patroni switchover, in the same shape as the plain one. */
export interface PatroniPreflight {
  preflight: Preflight;
  leader?: PatroniNode;
  candidate?: PatroniNode;
  /** The leader's REST API answers: a switchover; otherwise only a forced failover. */
  leaderReachable: boolean;
}

/** Patroni 3.0.2 says `running`; later releases say `streaming` for a streaming replica. */
const HEALTHY_STATES = new Set(['running', 'streaming']);

/**
 * The configured endpoint of each member, by the host:port Patroni reports
 * (its `postgresql.connect_address`). Config lists the endpoints (with the
 * credentials and database), Patroni says who is who: after a switchover the
 * configured `primary` is a replica, and nothing in config has to change.
 */
export function mapMembers(
  target: DatabaseTarget,
  cluster: PatroniCluster,
): { nodes: PatroniNode[]; problems: string[] } {
  const ha = target.failover.ha!;
  const endpoints = [target.primary, ...target.replicas];
  const nodes: PatroniNode[] = [];
  const problems: string[] = [];
  for (const member of cluster.members) {
    const api = ha.members.find(m => m.name === member.name);
    const address = `${member.host}:${member.port}`;
    const endpoint = endpoints.find(e => addressOf(e) === address);
    if (!api) {
      problems.push(
        `member ${member.name} is not in failover.ha.members (its REST API is unknown)`,
      );
    } else if (!endpoint) {
      problems.push(
        `member ${member.name} serves PostgreSQL at ${address}, which is not the primary or a replica of ${target.name} in config`,
      );
    } else {
      nodes.push({
        name: member.name,
        api,
        endpoint: failoverEndpoint(endpoint, target.failover),
      });
    }
  }
  return { nodes, problems };
}

function patroniLag(lag: number | 'unknown' | undefined): number {
  return typeof lag === 'number' ? lag : Number.POSITIVE_INFINITY;
}

/**
 * The preflight of a Patroni switchover: Patroni's own view (GET /cluster:
 * paused, a leader, every member running, the candidate's lag) and the same
 * SQL checks as a plain failover on the leader and the candidate. Reads only.
 */
export async function runPatroniPreflight(options: {
  target: DatabaseTarget;
  client: PatroniClient;
  /** A member name, or the host:port of its PostgreSQL; undefined: the one with the least lag. */
  requested?: string;
}): Promise<PatroniPreflight> {
  const { target, client, requested } = options;
  const limits = target.failover;
  const checks: PreflightCheck[] = [];
  const refuse = (name: string, detail: string): PatroniPreflight => {
    checks.push({ name, passed: false, hard: true, detail });
    return {
      preflight: {
        primaryReachable: false,
        checks,
        passed: false,
        blocked: true,
      },
      leaderReachable: false,
    };
  };

  let cluster: PatroniCluster;
  try {
    cluster = await client.cluster();
  } catch (error) {
    return refuse('Patroni REST API', messageOf(error));
  }
  checks.push({
    name: 'Patroni REST API',
    passed: true,
    detail: cluster.members
      .map(m => `${m.name}: ${m.role}, ${m.state}`)
      .join('; '),
  });
  if (cluster.pause) {
    return refuse(
      'Patroni not paused',
      'Patroni is paused (maintenance mode): it would not act on a switchover as it should; resume it (patronictl resume) first',
    );
  }
  checks.push({
    name: 'Patroni not paused',
    passed: true,
    detail: 'automatic failover is on',
  });
  if (cluster.scheduled_switchover) {
    return refuse(
      'no scheduled switchover',
      `a switchover is already scheduled at ${cluster.scheduled_switchover.at}`,
    );
  }

  const { nodes, problems } = mapMembers(target, cluster);
  if (problems.length > 0) {
    return refuse('members match the config', problems.join('; '));
  }
  const leaderMember = cluster.members.find(m => m.role === 'leader');
  const leader = nodes.find(n => n.name === leaderMember?.name);
  const unhealthy = cluster.members.filter(m => !HEALTHY_STATES.has(m.state));
  checks.push({
    name: 'members running',
    passed: unhealthy.length === 0,
    detail:
      unhealthy.length === 0
        ? `${cluster.members.length} members running`
        : unhealthy
            .map(m => `${m.name} is ${m.state || 'in no state'}`)
            .join('; '),
  });

  const replicas = cluster.members.filter(
    m => m.name !== leaderMember?.name && m.role !== 'standby_leader',
  );
  let candidateMember = replicas.find(
    m =>
      requested !== undefined &&
      (m.name === requested || `${m.host}:${m.port}` === requested),
  );
  if (requested !== undefined && !candidateMember) {
    return refuse(
      'candidate',
      `'${requested}' is not a replica of ${
        target.name
      } in Patroni (replicas: ${
        replicas.map(m => `${m.name} at ${m.host}:${m.port}`).join(', ') ||
        'none'
      })`,
    );
  }
  if (!candidateMember) {
    const eligible = replicas
      .filter(m => HEALTHY_STATES.has(m.state) && !m.tags?.nofailover)
      .sort((a, b) => patroniLag(a.lag) - patroniLag(b.lag));
    candidateMember = eligible[0];
  }
  if (!candidateMember) {
    return refuse(
      'candidate',
      'no replica is running without the nofailover tag',
    );
  }
  if (candidateMember.tags?.nofailover) {
    return refuse(
      'candidate',
      `${candidateMember.name} has the nofailover tag: Patroni would refuse it`,
    );
  }
  const candidate = nodes.find(n => n.name === candidateMember!.name)!;
  const lag = patroniLag(candidateMember.lag);
  checks.push({
    name: 'Patroni lag',
    passed: lag <= limits.maxReplayLagBytes,
    detail: `${candidate.name} is ${
      Number.isFinite(lag) ? formatBytes(lag) : 'an unknown amount'
    } behind ${leaderMember?.name ?? 'the last leader'} (limit ${formatBytes(
      limits.maxReplayLagBytes,
    )})${requested === undefined ? ', the least of the replicas' : ''}`,
  });

  // The same SQL checks as a plain failover, leader as the primary.
  const unreachable: ServerState = {
    address: leaderMember
      ? `${leaderMember.host}:${leaderMember.port}`
      : 'none',
    reachable: false,
    error: 'Patroni reports no leader',
  };
  const [leaderState, candidateState] = await Promise.all([
    leader ? inspectServer(leader.endpoint) : Promise.resolve(unreachable),
    inspectServer(candidate.endpoint),
  ]);
  const sql = judgePreflight({
    primary: leaderState,
    replicas: [candidateState],
    requested: 0,
    limits,
  });
  checks.push(...sql.checks);

  // Patroni must be able to reach the leader to switch over gracefully.
  let leaderReachable = false;
  if (leader) {
    try {
      const seen = await client.clusterFrom(leader.api);
      leaderReachable = seen.members.some(
        m => m.name === leader.name && m.role === 'leader',
      );
    } catch (error) {
      checks.push({
        name: 'leader REST API',
        passed: false,
        detail: `${leader.name} (${leader.api.url}): ${messageOf(
          error,
        )}; only a forced failover (POST /failover) is possible`,
      });
    }
  } else {
    checks.push({
      name: 'leader',
      passed: false,
      detail:
        'Patroni reports no leader: only a forced failover (POST /failover) is possible',
    });
  }
  const passed = checks.every(check => check.passed);
  return {
    preflight: {
      primaryReachable: leaderReachable && sql.primaryReachable,
      checks,
      passed,
      blocked: checks.some(check => !check.passed && check.hard),
    },
    leader,
    candidate,
    leaderReachable,
  };
}
