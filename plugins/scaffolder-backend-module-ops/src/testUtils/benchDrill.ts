import { LoggerService } from '@backstage/backend-plugin-api';
import { DrillTarget } from '../targets';
import { executeBackupDrill } from '../procedures/backupDrill';
import { DrillRecordClient } from '../procedures/recordedDrill';

/**
 * One drill step's wall time, as the drill recorded it.
 *
 * @public
 */
export interface TimedStep {
  /** The step's name on the drill record, e.g. `Restore`. */
  name: string;
  /** From the step's start to its end, as recorded. */
  ms: number;
  /** When the step started and finished (ms since the epoch). */
  startedAt: number;
  finishedAt: number;
}

/**
 * Runs the backup drill (`executeBackupDrill`, the action's code) on
 * `target` with its records kept in memory, as `yarn bench:drill` measures
 * it: its wall time and each recorded step's. Throws when the drill does not
 * pass, so that a figure is always that of a complete, verified drill.
 *
 * @public
 */
export async function timeDrill(options: {
  target: DrillTarget;
  jobs: number;
  /** Warnings and errors of the drill; the rest is dropped. */
  log: (message: string) => void;
}): Promise<{ wallMs: number; steps: TimedStep[] }> {
  const { target, jobs, log } = options;
  const steps = new Map<string, { startedAt: string; finishedAt: string }>();
  const opsClient = {
    createDrill: async () => ({ id: 'bench' }),
    upsertDrillStep: async (step: {
      name: string;
      startedAt: string;
      finishedAt: string;
    }) => {
      steps.set(step.name, step);
      return {};
    },
    updateDrill: async () => ({}),
  };
  const logger = {
    info() {},
    warn: (message: string) => log(`warn: ${message}`),
    error: (message: string) => log(`error: ${message}`),
    debug() {},
    child: () => logger,
  } as unknown as LoggerService;
  const started = performance.now();
  const result = await executeBackupDrill({
    target,
    entityRef: 'component:default/ledger-api',
    jobs,
    takeBackupFirst: false,
    runId: `bench-${Date.now()}`,
    credentials: {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'none' },
    },
    opsClient: opsClient as unknown as DrillRecordClient,
    logger,
    checkpoint: ({ fn }) => fn(),
  });
  const wallMs = performance.now() - started;
  if (!result.outcome.passed) {
    throw new Error(
      `The drill did not pass: ${result.outcome.reasons.join('; ')}`,
    );
  }
  return {
    wallMs,
    steps: [...steps.entries()].map(([name, step]) => ({
      name,
      ms: Date.parse(step.finishedAt) - Date.parse(step.startedAt),
      startedAt: Date.parse(step.startedAt),
      finishedAt: Date.parse(step.finishedAt),
    })),
  };
}
