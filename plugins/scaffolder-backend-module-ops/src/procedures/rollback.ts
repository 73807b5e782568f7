import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApiException,
  AppsV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { clip, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { RollbackPlan } from '../kubernetes/plan';
import { waitForRollout } from '../kubernetes/waitForRollout';

function conflictOf(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

/**
 * Rolls the Deployment back as planned: the patch (carrying the
 * resourceVersion read, so a deploy in between fails it), the wait for the
 * rollout, and the record as a deployment event and on the linked incident.
 * Every step is checkpointed, so a retried task never patches twice. The
 * deployment event's id, and the rollout's failure if it failed (recorded
 * as a failed deployment).
 */
export async function applyRollback(options: {
  api: AppsV1Api;
  plan: RollbackPlan;
  /** `cluster/namespace/name`, for messages. */
  target: string;
  entityRef: string;
  input: { reason: string; incidentId?: string; timeoutSeconds?: number };
  taskId: string;
  credentials: BackstageCredentials;
  opsClient: Pick<OpsService, 'createDeployment' | 'appendIncidentEvent'>;
  checkpoint: <T extends { [key: string]: string | number }>(options: {
    key: string;
    fn: () => Promise<T>;
  }) => Promise<T>;
  logger: LoggerService;
  signal?: AbortSignal;
  pollIntervalMs: number;
}): Promise<{ deploymentId: string; failure?: Error }> {
  const { api, plan, target, entityRef, input, taskId, credentials } = options;
  const { opsClient, checkpoint, logger, signal, pollIntervalMs } = options;
  const patched = await checkpoint({
    key: `ops.kubernetes.rollback.patch.v1`,
    fn: async () => {
      try {
        const result = await api.patchNamespacedDeployment(
          { name: plan.name, namespace: plan.namespace, body: plan.patch },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        return {
          generation: result.metadata?.generation ?? plan.generation + 1,
          startedAt: new Date().toISOString(),
        };
      } catch (error) {
        if (conflictOf(error)) {
          throw new ConflictError(
            `${target} changed since it was read (resourceVersion ${plan.resourceVersion}): a deploy or another rollback landed in between. Nothing was rolled back; look at its history again and retry`,
          );
        }
        throw error;
      }
    },
  });
  logger.info(
    `Patched ${target} to the template of revision ${plan.toRevision}; waiting for the rollout`,
  );

  let failure: Error | undefined;
  try {
    await waitForRollout({
      api,
      namespace: plan.namespace,
      name: plan.name,
      generation: patched.generation,
      progressDeadlineSeconds: plan.progressDeadlineSeconds,
      pollIntervalMs: pollIntervalMs ?? 2000,
      timeoutMs:
        (input.timeoutSeconds ?? plan.progressDeadlineSeconds + 60) * 1000,
      log: message => logger.info(message),
      signal: signal,
    });
  } catch (error) {
    failure = error as Error;
  }

  const recorded = await checkpoint({
    key: `ops.kubernetes.rollback.record.v1`,
    fn: async () => {
      const deployment = await opsClient.createDeployment(
        {
          entityRef,
          environment: plan.cluster,
          version: clip(
            `revision ${plan.toRevision}: ${plan.toImages.join(', ')}`,
            RECORD_LIMITS.externalIdLength,
          ),
          startedAt: patched.startedAt,
          finishedAt: new Date().toISOString(),
          // a rollout that missed its deadline never reached the cluster
          status: failure ? 'failed' : 'rolled-back',
          description: clip(
            `Rollback of ${target} from revision ${plan.fromRevision} to ${plan.toRevision}: ${input.reason}`,
            RECORD_LIMITS.deploymentDescriptionLength,
          ),
        },
        { credentials },
      );
      if (input.incidentId) {
        await opsClient.appendIncidentEvent(
          {
            incidentId: input.incidentId,
            type: 'action',
            message: `${
              failure ? 'Rollback failed' : 'Rolled back'
            }: ${target} from revision ${
              plan.fromRevision
            } (${plan.fromImages.join(', ')}) to revision ${
              plan.toRevision
            } (${plan.toImages.join(', ')}). Reason: ${input.reason}`,
            data: {
              cluster: plan.cluster,
              namespace: plan.namespace,
              deployment: plan.name,
              fromRevision: plan.fromRevision,
              toRevision: plan.toRevision,
              deploymentId: deployment.id,
              taskId: taskId,
            },
          },
          { credentials },
        );
      }
      return { deploymentId: deployment.id };
    },
  });
  return { deploymentId: recorded.deploymentId, failure };
}
