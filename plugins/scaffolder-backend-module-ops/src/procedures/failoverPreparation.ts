import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import {
  DatabaseEndpoint,
  DatabaseTarget,
  endpointPassword,
  scratchServerUser,
} from '../postgres/config';
import { failoverEndpoint } from '../postgres/connections';
import {
  createWriterFence,
  WriterFence,
} from '../postgres/replication/fencing';
import {
  addressOf,
  inspectServer,
  judgePreflight,
  Preflight,
} from '../postgres/replication/preflight';
import { PatroniClient } from '../postgres/patroni/client';
import {
  PatroniPreflight,
  runPatroniPreflight,
} from '../postgres/patroni/preflight';

/** How many attempts one task makes at a failover before it gives up. */
const MAX_ATTEMPTS = 20;

/** Runs `fn` at most once across retries of the task; its result is JSON. */
export type Once = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/** The key of a failover's checkpoints. */
export function failoverKey(target: DatabaseTarget, what: string): string {
  return `failover-${target.name}-${what}`;
}

/** Refuses a failover that cannot work on this backend before anything is read or recorded. */
export async function checkFailoverPrerequisites(
  target: DatabaseTarget,
): Promise<void> {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  if (target.replicas.length === 0) {
    throw new InputError(
      `${target.name} has no replicas to fail over to: configure ${key}.replicas`,
    );
  }
  const settings = target.failover;
  endpointPassword(failoverEndpoint(target.primary, settings));
  for (const replica of target.replicas) {
    endpointPassword(failoverEndpoint(replica, settings));
  }
  if (settings.fence.method === 'stop') {
    for (const program of ['pg_ctl', 'pg_controldata']) {
      const file = path.join(target.scratch.binDir, program);
      await fs.access(file, fs.constants.X_OK).catch(() => {
        throw new Error(
          `${file} is not an executable on the backend: the stop fence needs PostgreSQL's server binaries (${key}.scratch.binDir)`,
        );
      });
    }
  }
  if (settings.connectionFile) {
    const directory = path.dirname(settings.connectionFile.path);
    await fs.access(directory, fs.constants.W_OK).catch(() => {
      throw new Error(
        `The backend cannot write ${directory}, where ${key}.failover.connectionFile.path is`,
      );
    });
  }
}

/** The index of the replica asked for as host:port, or undefined for the best one. */
export function resolveRequestedReplica(
  target: DatabaseTarget,
  requested: string | undefined,
): number | undefined {
  if (requested === undefined) {
    return undefined;
  }
  const index = target.replicas.findIndex(
    replica => addressOf(replica) === requested,
  );
  if (index < 0) {
    throw new InputError(
      `'${requested}' is not a replica of ${
        target.name
      }; its replicas are ${target.replicas.map(addressOf).join(', ')}`,
    );
  }
  return index;
}

async function runPreflight(
  target: DatabaseTarget,
  requested: number | undefined,
): Promise<Preflight> {
  const settings = target.failover;
  const [primary, ...replicas] = await Promise.all([
    inspectServer(failoverEndpoint(target.primary, settings)),
    ...target.replicas.map(replica =>
      inspectServer(failoverEndpoint(replica, settings)),
    ),
  ]);
  return judgePreflight({ primary, replicas, requested, limits: settings });
}

/** A failover as read before anything changes: what a dry run reports and a real run starts from. */
export interface PreparedFailover {
  /** Which attempt of the task this is, from 1. */
  attempt: number;
  /** When each attempt so far started, the first one first. */
  attemptsStartedAt: string[];
  preflight: Preflight;
  primary: DatabaseEndpoint;
  /** The replica to promote; undefined when no replica qualifies. */
  candidate?: DatabaseEndpoint;
  fence: WriterFence;
  /** Set on a Patroni target: Patroni switches over, OpsDeck neither fences nor promotes. */
  patroni?: Omit<PatroniPreflight, 'preflight'> & { client: PatroniClient };
}

/**
 * Counts the attempt (the first attempt checkpoint that holds this run's
 * nonce: earlier attempts stored theirs), runs the preflight once per task,
 * and resolves the endpoints and the fence. Changes nothing.
 */
export async function prepareFailover(options: {
  target: DatabaseTarget;
  requested: number | undefined;
  /** On a Patroni target: the member asked for, by name or host:port. */
  requestedMember?: string;
  once: Once;
}): Promise<PreparedFailover> {
  const { target, requested, once } = options;
  const nonce = randomUUID();
  const attemptsStartedAt: string[] = [];
  let attempt = 0;
  for (let n = 1; n <= MAX_ATTEMPTS && attempt === 0; n++) {
    const stored = await once(
      failoverKey(target, `attempt-${n}`),
      async () => ({
        nonce,
        startedAt: new Date().toISOString(),
      }),
    );
    attemptsStartedAt.push(stored.startedAt);
    if (stored.nonce === nonce) {
      attempt = n;
    }
  }
  if (attempt === 0) {
    throw new Error(
      `The failover of ${target.name} was attempted ${MAX_ATTEMPTS} times; start a new task`,
    );
  }

  const settings = target.failover;
  if (settings.ha) {
    const client = new PatroniClient(settings.ha);
    const { preflight, ...patroni } = await once(
      failoverKey(target, 'preflight'),
      () =>
        runPatroniPreflight({
          target,
          client,
          requested: options.requestedMember,
        }),
    );
    const leader = patroni.leader?.endpoint ?? target.primary;
    return {
      attempt,
      attemptsStartedAt,
      preflight,
      primary: leader,
      candidate: patroni.candidate?.endpoint,
      // Never used on a Patroni target (Patroni fences); kept for the shape.
      fence: createWriterFence({
        primary: leader,
        settings,
        binDir: target.scratch.binDir,
        runAsUser: scratchServerUser(target),
      }),
      patroni: { ...patroni, client },
    };
  }
  const preflight = await once(failoverKey(target, 'preflight'), () =>
    runPreflight(target, requested),
  );
  const primary = failoverEndpoint(target.primary, settings);
  return {
    attempt,
    attemptsStartedAt,
    preflight,
    primary,
    candidate:
      preflight.candidate === undefined
        ? undefined
        : failoverEndpoint(target.replicas[preflight.candidate], settings),
    fence: createWriterFence({
      primary,
      settings,
      binDir: target.scratch.binDir,
      runAsUser: scratchServerUser(target),
    }),
  };
}
