import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { StepRecord } from './report';
import { oneReadableLine } from './serverPaths';

// The drill record's limit for a step's output.
const MAX_OUTPUT = RECORD_LIMITS.textLength;

/** What a step returns: its value and the one line recorded as its output. */
export interface StepResult<T> {
  value: T;
  output: string;
  /** Recorded as failed (with the output) without throwing, e.g. an unclean cleanup. */
  failed?: boolean;
}

// Recorded outputs are shown in the Drills card and the report: one line,
// without the backend's paths (see serverPaths.ts).
function oneLine(text: string): string {
  const line = oneReadableLine(text);
  return line.length > MAX_OUTPUT ? `${line.slice(0, MAX_OUTPUT - 1)}…` : line;
}

/**
 * Runs the steps of a drill and records each (running, then succeeded or
 * failed, with its timing and a one-line output) through `write`, keeping
 * them for the report.
 */
export class DrillSteps {
  readonly #write: (step: StepRecord) => Promise<void>;
  readonly #records = new Map<string, StepRecord>();

  constructor(write: (step: StepRecord) => Promise<void>) {
    this.#write = write;
  }

  get records(): StepRecord[] {
    return [...this.#records.values()];
  }

  has(name: string): boolean {
    return this.#records.has(name);
  }

  async #record(step: StepRecord): Promise<void> {
    this.#records.set(step.name, step);
    await this.#write(step);
  }

  /** Runs a step; a step that throws is recorded as failed and rethrows. */
  async run<T>(name: string, fn: () => Promise<StepResult<T>>): Promise<T> {
    const startedAt = new Date();
    await this.#record({ name, status: 'running', startedAt });
    let result: StepResult<T>;
    try {
      result = await fn();
    } catch (error) {
      await this.#record({
        name,
        status: 'failed',
        startedAt,
        finishedAt: new Date(),
        output: oneLine(error instanceof Error ? error.message : String(error)),
      });
      throw error;
    }
    await this.#record({
      name,
      status: result.failed ? 'failed' : 'succeeded',
      startedAt,
      finishedAt: new Date(),
      output: oneLine(result.output),
    });
    return result.value;
  }

  /** Records a step that already ran to its end. */
  async complete(step: StepRecord): Promise<void> {
    await this.#record({
      ...step,
      output: step.output === undefined ? undefined : oneLine(step.output),
    });
  }

  /**
   * Re-records the running steps every `intervalMs` until the returned
   * function is called. The drill record is the target's lease (one drill
   * or failover per target at a time): the ops backend treats a running
   * drill that has not been written for a while as abandoned, so a long
   * step must keep saying it is alive.
   */
  keepAlive(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      for (const step of this.#records.values()) {
        if (step.status === 'running') {
          this.#write(step).catch(onError);
        }
      }
    }, intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Records a step that did not run. */
  async skip(name: string, reason: string): Promise<void> {
    const now = new Date();
    await this.#record({
      name,
      status: 'skipped',
      startedAt: now,
      finishedAt: now,
      output: oneLine(reason),
    });
  }
}
