import { LoggerService } from '@backstage/backend-plugin-api';
import { DatabaseEndpoint, DatabaseTarget } from '../postgres/config';
import { DrillSteps } from './drillSteps';
import { formatDuration } from './judgement';
import { Verification } from '../postgres/verification/verification';
import { WriterFence } from '../postgres/replication/fencing';
import { formatBytes, lsnBytesAhead } from '../postgres/lsn';
import {
  promoteReplica,
  waitForReplay,
  waitUntilWritable,
} from '../postgres/replication/promotion';
import {
  readConnectionFile,
  renderConnectionFile,
  rewriteConnectionFile,
} from '../postgres/replication/repoint';
import {
  ClientRouter,
  RouteSnapshot,
} from '../postgres/pgbouncer/clientRouter';
import { createClientRouter } from '../postgres/pgbouncer/PgBouncerRouter';
import {
  checkNewPrimaryWritable,
  checkOldPrimaryRefuses,
  downtimeWithinRto,
  fencedDataLoss,
  verifyStepOutcome,
  WRITABLE_TIMEOUT_MS,
} from './failoverChecks';
import { messageOf } from '../errors';
import { giveBackAfterFailure } from './failoverRecovery';

/** Names of the failover's steps, as recorded (a resumed attempt adds ` (attempt N)`). */
export const FAILOVER_STEPS = {
  preflight: 'Preflight',
  pause: 'Pause clients',
  fence: 'Fence writers',
  catchUp: 'Wait for replay',
  promote: 'Promote',
  repoint: 'Repoint clients',
  restore: 'Restore writers',
  verify: 'Verify',
} as const;

/** Checkpointed results: what a retried task finds of its earlier attempts. */
interface FenceCheckpoint {
  fencedAt: string;
}
interface PromoteCheckpoint {
  promotedAt: string;
  promotedNow: boolean;
  timeline?: number;
  replayedLsn?: string;
  replayLagSeconds?: number;
  fenceLsn?: string;
}

/** What a failover did and measured; judged and recorded by the caller. */
export interface FailoverRun {
  promoted: boolean;
  /** When writes began to be refused (the first attempt's fence). */
  fencedAt?: Date;
  /** When the new primary accepted the canary write. */
  writableAt?: Date;
  writeDowntimeSeconds?: number;
  fenceLsn?: string;
  replayedLsnAtPromotion?: string;
  /** WAL the old primary wrote that the new primary never replayed. */
  dataLossBytes?: number;
  /** The replica's replay lag when it was promoted, in seconds. */
  dataLossSeconds?: number;
  newTimeline?: number;
  verification: Verification[];
  failure?: { step: string; message: string };
  /** What was done to give writers back to the old primary after a failure before promotion. */
  unfenced?: string;
  /** What was done with the clients a router (PgBouncer) held, after a failure. */
  clientsReleased?: string;
}

/**
 * SOP-02 from the fence on: fence writers, wait until the replica replayed
 * what the fenced primary wrote, promote, repoint clients, restore writers,
 * verify. Every side effect that must not repeat runs through `once` (the
 * task's checkpoints): a retried task resumes, and never promotes twice.
 * A failure before the promotion gives the writers back to the old primary.
 * Never throws for a failure of the failover itself: that is in the result.
 */
export async function runFailover(options: {
  target: DatabaseTarget;
  primary: DatabaseEndpoint;
  candidate: DatabaseEndpoint;
  primaryReachable: boolean;
  fence: WriterFence;
  force: boolean;
  drillId: string;
  attempt: number;
  steps: DrillSteps;
  logger: LoggerService;
  signal?: AbortSignal;
  once: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
  /** False once another run took the target over: stop before promoting. */
  stillHoldsTarget: () => boolean;
  /** Holds and repoints the clients; by default the one `failover.repoint` configures. */
  router?: ClientRouter;
}): Promise<FailoverRun> {
  const { target, primary, candidate, fence, steps, logger, signal } = options;
  const settings = target.failover;
  const router = options.router ?? createClientRouter(settings.repoint);
  const suffix = options.attempt > 1 ? ` (attempt ${options.attempt})` : '';
  const name = (step: string) => `${step}${suffix}`;
  const run: FailoverRun = { promoted: false, verification: [] };
  const key = (what: string) => `failover-${target.name}-${what}`;
  let current: string = FAILOVER_STEPS.fence;
  let fenced = false;
  /** The clients' route before anything changed; set once the router was read. */
  let route: RouteSnapshot | undefined;

  /** Fences the old primary and waits for the replica; the fenced primary's last WAL position. */
  async function fenceAndCatchUp(): Promise<string | undefined> {
    if (!options.primaryReachable) {
      await steps.skip(
        name(FAILOVER_STEPS.fence),
        'The old primary is unreachable: nothing to fence',
      );
      await steps.skip(
        name(FAILOVER_STEPS.catchUp),
        'The old primary is unreachable: the replica keeps what it received',
      );
      return undefined;
    }
    current = FAILOVER_STEPS.fence;
    // Needed again on a resumed attempt: the old primary may have been
    // given its writers back meanwhile.
    const fenceLsn = await steps.run(name(FAILOVER_STEPS.fence), async () => {
      fenced = true;
      const result = await fence.fence(signal);
      return { value: result.lsn, output: `${fence.method}: ${result.output}` };
    });

    current = FAILOVER_STEPS.catchUp;
    if (!fenceLsn) {
      await steps.skip(
        name(FAILOVER_STEPS.catchUp),
        'The fence did not tell the last WAL position of the old primary',
      );
      return undefined;
    }
    await steps.run(name(FAILOVER_STEPS.catchUp), async () => {
      const started = Date.now();
      const { caughtUp, state } = await waitForReplay({
        replica: candidate,
        lsn: fenceLsn,
        timeoutMs: settings.catchUpTimeoutSeconds * 1000,
        signal,
      });
      const behind = lsnBytesAhead(fenceLsn, state.replayedLsn ?? '0/0');
      const took = formatDuration((Date.now() - started) / 1000);
      if (!caughtUp && !options.force) {
        throw new Error(
          `the replica replayed up to ${state.replayedLsn}, ${formatBytes(
            behind,
          )} short of the fenced primary's ${fenceLsn}, after ${took}${
            state.replayPaused ? ' (replay is paused)' : ''
          }; not promoting a replica that would lose data`,
        );
      }
      return {
        value: undefined,
        output: caughtUp
          ? `replayed up to ${state.replayedLsn} ≥ ${fenceLsn} (everything the fenced primary wrote) in ${took}`
          : `forced: promoting ${formatBytes(
              behind,
            )} short of ${fenceLsn} after ${took}`,
      };
    });
    return fenceLsn;
  }

  try {
    const { fencedAt } = await options.once<FenceCheckpoint>(
      key('fence-started'),
      async () => ({ fencedAt: new Date().toISOString() }),
    );
    run.fencedAt = new Date(fencedAt);

    if (router) {
      current = FAILOVER_STEPS.pause;
      // Read before the first PAUSE and kept in the checkpoints: a retried
      // task restores the route the clients had, not one an earlier attempt
      // wrote.
      route = await options.once<RouteSnapshot>(key('client-route'), () =>
        router.capture(),
      );
    }

    // Fence, catch up and promote form one checkpoint: an attempt that died
    // before the promotion was recorded does all three again (fencing is
    // idempotent, and a replica out of recovery is not promoted again); one
    // that died after it resumes with the repointing.
    let promotedHere = false;
    const promotion = await options.once<PromoteCheckpoint>(
      key('promote'),
      async () => {
        promotedHere = true;
        if (router) {
          // Why PAUSE comes first: PgBouncer answers PAUSE once the
          // transactions in flight ended and it closed its server
          // connections, then queues every new query. The fence that
          // follows (read-only and ending the sessions, or a stop) then
          // meets no pooled connection: the clients see a stall, not an
          // error, and nothing they are acknowledged is written after the
          // fence's WAL position. Needed again on a resumed attempt; PAUSE
          // of a paused database returns at once.
          current = FAILOVER_STEPS.pause;
          await steps.run(name(FAILOVER_STEPS.pause), async () => ({
            value: undefined,
            output: await router.pause(signal),
          }));
        }
        const fenceLsn = await fenceAndCatchUp();
        if (signal?.aborted) {
          throw new Error('cancelled before the promotion');
        }
        if (!options.stillHoldsTarget()) {
          throw new Error(
            'the drill record of this failover is no longer running (it was taken as abandoned); not promoting',
          );
        }
        current = FAILOVER_STEPS.promote;
        return steps.run(name(FAILOVER_STEPS.promote), async () => {
          const result = await promoteReplica({
            replica: candidate,
            timeoutSeconds: settings.promoteTimeoutSeconds,
          });
          const checkpoint: PromoteCheckpoint = {
            promotedAt: new Date().toISOString(),
            promotedNow: result.promotedNow,
            timeline: result.state.timeline,
            replayedLsn: result.state.replayedLsn,
            fenceLsn,
          };
          return {
            value: checkpoint,
            output: `${
              result.promotedNow
                ? 'pg_promote()'
                : 'not in recovery any more: promoted by an earlier attempt, not promoted again'
            }; ${candidate.host}:${candidate.port} is the primary on timeline ${
              result.state.timeline
            }, at ${result.state.currentLsn}`,
          };
        });
      },
    );
    if (!promotedHere) {
      for (const step of [
        ...(router ? [FAILOVER_STEPS.pause] : []),
        FAILOVER_STEPS.fence,
        FAILOVER_STEPS.catchUp,
        FAILOVER_STEPS.promote,
      ]) {
        await steps.skip(
          name(step),
          `Done by an earlier attempt (promoted at ${promotion.promotedAt})`,
        );
      }
    }
    run.promoted = true;
    run.newTimeline = promotion.timeline;
    run.fenceLsn = promotion.fenceLsn ?? run.fenceLsn;
    run.replayedLsnAtPromotion = promotion.replayedLsn;
    if (run.fenceLsn && promotion.replayedLsn) {
      run.dataLossBytes = lsnBytesAhead(run.fenceLsn, promotion.replayedLsn);
    }

    current = FAILOVER_STEPS.repoint;
    const file = settings.connectionFile;
    if (file || router) {
      const promotedAt = promotion.promotedAt;
      await steps.run(name(FAILOVER_STEPS.repoint), async () => {
        // PgBouncer first: its clients are held until the restore step.
        const routed = router ? await router.repoint(candidate) : undefined;
        if (!file) {
          return { value: undefined, output: routed! };
        }
        await rewriteConnectionFile(
          file,
          renderConnectionFile(
            file.format,
            candidate,
            {
              target: target.name,
              timeline: promotion?.timeline,
              promotedAt,
            },
            await readConnectionFile(file),
          ),
        );
        return {
          value: undefined,
          output: `${routed ? `${routed}; ` : ''}${file.path} (${
            file.format
          }) now names ${candidate.host}:${candidate.port}/${
            candidate.database
          }`,
        };
      });
    } else {
      await steps.skip(
        name(FAILOVER_STEPS.repoint),
        'No connection file (failover.connectionFile) nor PgBouncer (failover.repoint) is configured: clients must find the new primary themselves',
      );
    }

    current = FAILOVER_STEPS.restore;
    if (router) {
      // RESUME only once the new primary takes a write: resumed earlier,
      // the held queries would meet a server still finishing its promotion.
      await steps.run(name(FAILOVER_STEPS.restore), async () => {
        await waitUntilWritable({
          endpoint: candidate,
          table: settings.canaryTable,
          drillId: options.drillId,
          timeoutMs: WRITABLE_TIMEOUT_MS,
        });
        return {
          value: undefined,
          output: `${candidate.host}:${
            candidate.port
          } accepts writes; ${await router.resume()}; the old primary stays fenced (${
            fence.method
          })`,
        };
      });
    } else
      await steps.complete({
        name: name(FAILOVER_STEPS.restore),
        status: 'succeeded',
        startedAt: new Date(),
        finishedAt: new Date(),
        output: `Writers reconnect to ${candidate.host}:${candidate.port}${
          file ? ' through the connection file' : ''
        }; the old primary stays fenced (${fence.method})`,
      });

    current = FAILOVER_STEPS.verify;
    await steps.run(name(FAILOVER_STEPS.verify), async () => {
      const writable = await checkNewPrimaryWritable({
        endpoint: candidate,
        canaryTable: settings.canaryTable,
        drillId: options.drillId,
      });
      run.verification.push(writable.check);
      if (writable.writableAt) {
        run.writableAt = writable.writableAt;
        run.writeDowntimeSeconds =
          (run.writableAt.getTime() - run.fencedAt!.getTime()) / 1000;
      }
      run.verification.push(
        await checkOldPrimaryRefuses({
          endpoint: primary,
          canaryTable: settings.canaryTable,
          drillId: options.drillId,
        }),
      );
      run.verification.push(fencedDataLoss(run));
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
    await giveBackAfterFailure({
      run,
      failedStep: current,
      fenced,
      fence,
      primary,
      router,
      route,
      canaryTable: settings.canaryTable,
      drillId: options.drillId,
      steps,
      restoreStepName: name(FAILOVER_STEPS.restore),
      logger,
    });
  }
  return run;
}
