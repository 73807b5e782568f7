import { LoggerService } from '@backstage/backend-plugin-api';
import { DatabaseTarget } from '../postgres/config';
import { ClientRouter as RouterOfClients } from '../postgres/pgbouncer/clientRouter';
import { formatBytes } from '../postgres/lsn';
import { PatroniClient } from '../postgres/patroni/client';
import { PatroniNode } from '../postgres/patroni/preflight';
import { measureSwitchoverDataLoss } from '../postgres/patroni/switchPoint';
import {
  leaderOf,
  waitForCluster,
  waitForStreamingReplica,
} from '../postgres/patroni/waits';
import {
  readConnectionFile,
  renderConnectionFile,
  rewriteConnectionFile,
} from '../postgres/replication/repoint';
import { DrillSteps } from './drillSteps';
import {
  checkNewPrimaryWritable,
  checkOldPrimaryRefuses,
  downtimeWithinRto,
  verifyStepOutcome,
} from './failoverChecks';
import { messageOf } from '../errors';
import { FailoverRun } from './failoverRun';
import { formatDuration } from './judgement';

/** Names of a Patroni switchover's steps, as recorded (a resumed attempt adds ` (attempt N)`). */
export const PATRONI_STEPS = {
  pause: 'Pause clients',
  switchover: 'Switch over (Patroni)',
  repoint: 'Repoint clients',
  resume: 'Resume clients',
  verify: 'Verify',
} as const;

/**
 * What holds and repoints the clients around the switchover (PgBouncer, from
 * `failover.repoint`): paused before Patroni is asked, repointed to the new
 * leader, resumed even on failure.
 */
export type ClientRouter = Pick<
  RouterOfClients,
  'describe' | 'pause' | 'repoint' | 'resume'
>;

interface SwitchoverCheckpoint {
  /** When the switchover was asked for: writes stop around then. */
  requestedAt: string;
  switchedAt: string;
  /** Patroni's answer, or why nothing was asked (the candidate already led). */
  answer: string;
  oldTimeline?: number;
  newTimeline?: number;
  failover: boolean;
}

/**
 * A switchover that Patroni performs: OpsDeck asks the leader's REST API for
 * it (or, forced, any member for a failover when the leader is gone), waits
 * until the candidate leads and the old leader streams from it, and verifies
 * with a canary write. It never promotes or fences by itself: Patroni owns
 * both. The request runs through `once`, and checks /cluster first, so a
 * retried task finds the candidate leading and goes on instead of switching
 * back. Never throws for a failure of the switchover: that is in the result.
 */
export async function runPatroniSwitchover(options: {
  target: DatabaseTarget;
  client: PatroniClient;
  leader?: PatroniNode;
  candidate: PatroniNode;
  leaderReachable: boolean;
  force: boolean;
  forcedReason?: string;
  drillId: string;
  attempt: number;
  steps: DrillSteps;
  logger: LoggerService;
  signal?: AbortSignal;
  once: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
  stillHoldsTarget: () => boolean;
  clientRouter?: ClientRouter;
}): Promise<FailoverRun> {
  const { target, client, leader, candidate, steps, logger, signal } = options;
  const ha = target.failover.ha!;
  const timeoutMs = ha.timeoutSeconds * 1000;
  const suffix = options.attempt > 1 ? ` (attempt ${options.attempt})` : '';
  const name = (step: string) => `${step}${suffix}`;
  const key = (what: string) => `failover-${target.name}-patroni-${what}`;
  const run: FailoverRun = { promoted: false, verification: [] };
  const router = options.clientRouter;
  let current: string = PATRONI_STEPS.switchover;
  let paused = false;

  try {
    if (router) {
      current = PATRONI_STEPS.pause;
      await steps.run(name(PATRONI_STEPS.pause), async () => {
        await router.pause();
        paused = true;
        return { value: undefined, output: `paused ${router.describe()}` };
      });
    }

    current = PATRONI_STEPS.switchover;
    let switchedHere = false;
    const switched = await options.once<SwitchoverCheckpoint>(
      key('switchover'),
      async () => {
        switchedHere = true;
        if (signal?.aborted) {
          throw new Error('cancelled before the switchover');
        }
        if (!options.stillHoldsTarget()) {
          throw new Error(
            'the drill record of this failover is no longer running (it was taken as abandoned); not switching over',
          );
        }
        return steps.run(name(PATRONI_STEPS.switchover), async () => {
          const before = await client.cluster(signal);
          const oldTimeline = before.members.find(
            m => m.name === leader?.name,
          )?.timeline;
          const requestedAt = new Date().toISOString();
          let answer: string;
          let failover = false;
          if (leaderOf(before) === candidate.name) {
            // A retried task whose first attempt was killed after Patroni
            // switched over, before the checkpoint was stored.
            answer = `${candidate.name} leads already (switched over by an earlier attempt): not asked again`;
          } else if (leader && options.leaderReachable) {
            const result = await client.switchover(
              leader.api,
              { leader: leader.name, candidate: candidate.name },
              timeoutMs,
              signal,
            );
            if (!result.ok) {
              throw new Error(
                `Patroni refused the switchover (HTTP ${result.status}): ${result.text}`,
              );
            }
            answer = `POST ${leader.api.url}/switchover {leader: ${leader.name}, candidate: ${candidate.name}}: ${result.text}`;
          } else {
            if (!options.force) {
              throw new Error(
                'the leader is unreachable: only a forced failover may proceed',
              );
            }
            failover = true;
            const via =
              ha.members.find(m => m.name === candidate.name) ?? candidate.api;
            const result = await client.failover(
              via,
              { candidate: candidate.name },
              timeoutMs,
              signal,
            );
            if (!result.ok) {
              throw new Error(
                `Patroni refused the failover (HTTP ${result.status}): ${result.text}`,
              );
            }
            answer = `leader unreachable, forced (reason: ${options.forcedReason}): POST ${via.url}/failover {candidate: ${candidate.name}}: ${result.text}`;
          }
          const led = await waitForCluster({
            client,
            done: cluster => leaderOf(cluster) === candidate.name,
            timeoutMs,
            signal,
          });
          if (!led.reached) {
            throw new Error(
              `${answer}; but ${
                candidate.name
              } does not lead after ${formatDuration(ha.timeoutSeconds)} (${
                led.error ??
                `leader: ${led.cluster ? leaderOf(led.cluster) ?? 'none' : '?'}`
              })`,
            );
          }
          const checkpoint: SwitchoverCheckpoint = {
            requestedAt,
            switchedAt: new Date().toISOString(),
            answer,
            oldTimeline,
            newTimeline: led.cluster!.members.find(
              m => m.name === candidate.name,
            )?.timeline,
            failover,
          };
          return {
            value: checkpoint,
            output: `${answer}; ${candidate.name} (${candidate.endpoint.host}:${
              candidate.endpoint.port
            }) leads${
              checkpoint.newTimeline
                ? ` on timeline ${checkpoint.newTimeline}`
                : ''
            }`,
          };
        });
      },
    );
    if (!switchedHere) {
      await steps.skip(
        name(PATRONI_STEPS.switchover),
        `Done by an earlier attempt (${candidate.name} leads since ${switched.switchedAt}): not switched over again`,
      );
    }
    run.promoted = true;
    run.fencedAt = new Date(switched.requestedAt);
    run.newTimeline = switched.newTimeline;

    current = PATRONI_STEPS.repoint;
    const file = target.failover.connectionFile;
    if (router || file) {
      await steps.run(name(PATRONI_STEPS.repoint), async () => {
        const done: string[] = [];
        if (router) {
          await router.repoint(candidate.endpoint);
          done.push(`${router.describe()} now points at ${candidate.name}`);
        }
        if (file) {
          await rewriteConnectionFile(
            file,
            renderConnectionFile(
              file.format,
              candidate.endpoint,
              {
                target: target.name,
                timeline: switched.newTimeline,
                promotedAt: switched.switchedAt,
              },
              await readConnectionFile(file),
            ),
          );
          done.push(
            `${file.path} (${file.format}) now names ${candidate.endpoint.host}:${candidate.endpoint.port}`,
          );
        }
        return { value: undefined, output: done.join('; ') };
      });
    } else {
      await steps.skip(
        name(PATRONI_STEPS.repoint),
        'Clients find the leader through Patroni (no connection file or client router configured)',
      );
    }
    if (router) {
      current = PATRONI_STEPS.resume;
      await steps.run(name(PATRONI_STEPS.resume), async () => {
        await router.resume();
        paused = false;
        return { value: undefined, output: `resumed ${router.describe()}` };
      });
    }

    current = PATRONI_STEPS.verify;
    await steps.run(name(PATRONI_STEPS.verify), async () => {
      const writable = await checkNewPrimaryWritable({
        endpoint: candidate.endpoint,
        label: candidate.name,
        canaryTable: target.failover.canaryTable,
        drillId: options.drillId,
      });
      run.verification.push(writable.check);
      if (writable.writableAt) {
        run.writableAt = writable.writableAt;
        run.writeDowntimeSeconds =
          (run.writableAt.getTime() - run.fencedAt!.getTime()) / 1000;
      }
      if (leader) {
        const streamed = await waitForStreamingReplica({
          client,
          member: leader.name,
          endpoint: leader.endpoint,
          timeoutMs,
          signal,
        });
        run.verification.push({
          name: 'old leader streams from the new one',
          passed: streamed.streaming,
          expected: 'a streaming replica',
          actual: streamed.detail,
        });
        run.verification.push(
          await checkOldPrimaryRefuses({
            endpoint: leader.endpoint,
            canaryTable: target.failover.canaryTable,
            drillId: options.drillId,
          }),
        );
        if (switched.oldTimeline !== undefined && !switched.failover) {
          const loss = await measureSwitchoverDataLoss({
            client,
            newLeader: candidate.api,
            oldLeader: leader.endpoint,
            oldTimeline: switched.oldTimeline,
            timeoutMs: 10_000,
          });
          run.dataLossBytes = loss.bytes;
          run.fenceLsn = loss.oldLeaderEndLsn;
          run.replayedLsnAtPromotion = loss.switchLsn;
          run.verification.push({
            name: 'data loss',
            passed: loss.bytes === 0,
            expected: '0 B',
            actual:
              loss.bytes === undefined
                ? `not measurable: ${loss.detail}`
                : `${formatBytes(loss.bytes)} (${loss.detail})`,
          });
        }
      }
      if (run.writeDowntimeSeconds !== undefined) {
        run.verification.push(
          downtimeWithinRto(
            run.writeDowntimeSeconds,
            target.objectives.rtoSeconds,
          ),
        );
      }
      return verifyStepOutcome(run.verification);
    });
  } catch (error) {
    run.failure = { step: current, message: messageOf(error) };
    logger.error(`${current} failed: ${run.failure.message}`);
  } finally {
    if (router && paused) {
      // Whatever happened, clients must not stay paused.
      await router
        .resume()
        .catch(error =>
          logger.error(`Could not resume ${router.describe()}: ${error}`),
        );
    }
  }
  return run;
}
