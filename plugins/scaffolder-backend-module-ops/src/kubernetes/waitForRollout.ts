import { AppsV1Api } from '@kubernetes/client-node';
import { rolloutStateOf } from '@opsdeck/plugin-ops-node';

/**
 * Follows a rollout as `kubectl rollout status` does, reading the
 * Deployment every `pollIntervalMs`, logging each change of its replica
 * counts, until it is complete. Fails when the Deployment reports
 * ProgressDeadlineExceeded, or when `timeoutMs` passes first.
 */
export async function waitForRollout(options: {
  api: AppsV1Api;
  namespace: string;
  name: string;
  /** The generation the patch produced: older status is not about it. */
  generation: number;
  progressDeadlineSeconds: number;
  pollIntervalMs: number;
  timeoutMs: number;
  log: (message: string) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const { api, namespace, name } = options;
  const deadline = Date.now() + options.timeoutMs;
  let lastLine = '';
  for (;;) {
    if (options.signal?.aborted) {
      throw new Error(
        `Stopped waiting for the rollout of ${namespace}/${name}: the task was cancelled`,
      );
    }
    const deployment = await api.readNamespacedDeployment({ name, namespace });
    const status = deployment.status ?? {};
    const desired = deployment.spec?.replicas ?? 1;
    const observed = (status.observedGeneration ?? 0) >= options.generation;
    const { state, message } = rolloutStateOf(deployment);
    const line = `${status.updatedReplicas ?? 0}/${desired} updated, ${
      status.availableReplicas ?? 0
    }/${desired} available, ${status.replicas ?? 0} total: ${message}`;
    if (line !== lastLine) {
      options.log(`Rollout ${namespace}/${name}: ${line}`);
      lastLine = line;
    }
    if (observed && state === 'complete') return;
    if (observed && state === 'failed') {
      const condition = status.conditions?.find(c => c.type === 'Progressing');
      throw new Error(
        `The rollout of ${namespace}/${name} exceeded its progress deadline (progressDeadlineSeconds ${
          options.progressDeadlineSeconds
        }): ${(condition?.message ?? message).replace(/\.$/, '')}. ${
          status.availableReplicas ?? 0
        } of ${desired} replicas are available; the Deployment keeps the rolled-back template, check its pods`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Gave up waiting for the rollout of ${namespace}/${name} after ${Math.round(
          options.timeoutMs / 1000,
        )} s: ${message}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, options.pollIntervalMs));
  }
}
