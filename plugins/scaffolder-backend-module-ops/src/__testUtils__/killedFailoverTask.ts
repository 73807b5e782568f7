import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { RecordedCall } from '../testUtils/RecordingOpsClient';
import type { FailoverChildSpec } from './failoverChild';

/**
 * Runs ops:postgres:failover in a process of its own (failoverChild.ts) that
 * dies by SIGKILL right after `killAfterStep` succeeds, as when a backend
 * host dies mid-task. Answers how the process ended and, for the retry the
 * scaffolder would make, what the task stored: its checkpoints (as the
 * scaffolder's `checkpoint` hands them back) and the ops backend calls.
 */
export async function runFailoverTaskKilledAfter(options: {
  workDir: string;
  config: object;
  entity: Entity;
  input: Record<string, unknown>;
  killAfterStep: string;
}) {
  const spec: FailoverChildSpec = {
    config: options.config,
    entity: options.entity,
    input: options.input,
    checkpointsFile: path.join(options.workDir, 'checkpoints.json'),
    callsFile: path.join(options.workDir, 'calls.jsonl'),
    killAfterStep: options.killAfterStep,
  };
  const specFile = path.join(options.workDir, 'spec.json');
  await fs.writeFile(specFile, JSON.stringify(spec));
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.resolve(__dirname, 'failoverChild.ts'),
      specFile,
    ],
    // Jest's process.env is the test's own copy: hand it over explicitly.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let childOutput = '';
  child.stdout.on('data', chunk => (childOutput += chunk));
  child.stderr.on('data', chunk => (childOutput += chunk));
  const signal = await new Promise(resolve =>
    child.on('exit', (_code, exitSignal) => resolve(exitSignal)),
  );

  /** What the killed task stored, read when the test retries it. */
  const stored = async () => {
    const checkpoints = JSON.parse(
      await fs.readFile(spec.checkpointsFile, 'utf8'),
    );
    const calls: RecordedCall[] = (await fs.readFile(spec.callsFile, 'utf8'))
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    const checkpoint = async <T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> => {
      if (!(opts.key in checkpoints)) {
        checkpoints[opts.key] = await opts.fn();
      }
      return checkpoints[opts.key];
    };
    return { calls, checkpoint };
  };
  return { signal, childOutput, stored };
}
