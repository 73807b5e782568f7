import { LoggerService } from '@backstage/backend-plugin-api';
import { DatabaseEndpoint } from '../postgres/config';
import {
  ClientRouter,
  RouteSnapshot,
} from '../postgres/pgbouncer/clientRouter';
import { WriterFence } from '../postgres/replication/fencing';
import { waitUntilWritable } from '../postgres/replication/promotion';
import { DrillSteps } from './drillSteps';
import { messageOf } from '../errors';
import type { FailoverRun } from './failoverRun';

/** How long an unfenced old primary gets to accept writes before held clients are let go. */
const UNFENCED_WRITABLE_TIMEOUT_MS = 10_000;

/**
 * After a failed failover, gives the service back a primary its clients
 * reach, and records what was done as the restore step. Not promoted, the
 * old primary is still the only primary: its fence is undone and the
 * clients' captured route put back. Promoted, the old primary stays fenced
 * and the clients are resumed on the route as far as the repointing got.
 * Never throws: what could not be undone is said in `run`.
 */
export async function giveBackAfterFailure(options: {
  run: FailoverRun;
  /** The step that failed. */
  failedStep: string;
  /** Whether this attempt fenced the old primary. */
  fenced: boolean;
  fence: WriterFence;
  primary: DatabaseEndpoint;
  router?: ClientRouter;
  /** The clients' route before anything changed, once the router was read. */
  route?: RouteSnapshot;
  canaryTable: string;
  drillId: string;
  steps: DrillSteps;
  restoreStepName: string;
  logger: LoggerService;
}): Promise<void> {
  const { run, router, route, logger } = options;
  if (!run.promoted && options.fenced) {
    try {
      run.unfenced = await options.fence.unfence();
      if (router) {
        // The reload that undoes a read-only fence is asynchronous: the
        // clients PgBouncer lets go must find the old primary writable.
        await waitUntilWritable({
          endpoint: options.primary,
          table: options.canaryTable,
          drillId: options.drillId,
          timeoutMs: UNFENCED_WRITABLE_TIMEOUT_MS,
        });
      }
    } catch (unfenceError) {
      run.unfenced = `could not undo the fence: ${messageOf(
        unfenceError,
      )}; the old primary is still fenced`;
    }
  }
  if (router && route) {
    run.clientsReleased = await releaseClients(router, route, run.promoted);
  }

  let status: 'succeeded' | 'failed';
  let output: string;
  if (!run.promoted && (options.fenced || run.clientsReleased)) {
    const unfenced = run.unfenced ?? 'the old primary was not fenced';
    const released = run.clientsReleased
      ? `; PgBouncer: ${run.clientsReleased}`
      : '';
    status = /could not/.test(`${unfenced}${released}`)
      ? 'failed'
      : 'succeeded';
    output = `Not promoted: ${unfenced}${released}`;
  } else if (run.promoted && run.clientsReleased) {
    status = run.clientsReleased.startsWith('could not')
      ? 'failed'
      : 'succeeded';
    output = `Promoted, then ${options.failedStep} failed; PgBouncer: ${run.clientsReleased}`;
  } else {
    return;
  }
  await options.steps
    .complete({
      name: options.restoreStepName,
      status,
      startedAt: new Date(),
      finishedAt: new Date(),
      output,
    })
    .catch(writeError =>
      logger.warn(`Could not record the restore step: ${writeError}`),
    );
}

/**
 * Lets the clients a router held go after a failure: never leave them held.
 * Not promoted, the old primary is the primary: the captured route is put
 * back. Promoted, the old primary is fenced and the new one is the only
 * primary: the route is left as far as the repointing got (an old route
 * would only meet a fenced server), and the clients are resumed.
 */
async function releaseClients(
  router: ClientRouter,
  route: RouteSnapshot,
  promoted: boolean,
): Promise<string> {
  try {
    return promoted ? await router.resume() : await router.restore(route);
  } catch (error) {
    return `could not resume the clients: ${messageOf(
      error,
    )}; RESUME them by hand on PgBouncer's console`;
  }
}
