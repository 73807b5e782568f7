import { InputError, NotFoundError } from '@backstage/errors';
import { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import {
  imagesOf,
  plainTemplate,
  REVISION_ANNOTATION,
  revisionsOf,
  templatesEqual,
} from '@opsdeck/plugin-ops-node';
import { JsonObject, JsonValue } from '@backstage/types';

// `kubectl rollout undo` (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go)
// as pure functions: which revision, refused when, and what to send.

/** Deployment annotations a rollback never copies from a ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** A serializable decision, stored in a task checkpoint. */
export type RollbackPlan = {
  cluster: string;
  namespace: string;
  name: string;
  /** The Deployment's revision now, and the images it runs. */
  fromRevision: number;
  fromImages: string[];
  toRevision: number;
  toImages: string[];
  toChangeCause?: string;
  /** The pod template difference, one line per changed field. */
  diff: string[];
  /** The resourceVersion read: the patch's precondition. */
  resourceVersion: string;
  generation: number;
  progressDeadlineSeconds: number;
  /** Merge patch (RFC 7386) that puts the revision's template back. */
  patch: JsonObject;
} & { [key: string]: JsonValue | undefined };

export type RollbackDecision =
  | { kind: 'rollback'; plan: RollbackPlan }
  | { kind: 'skipped'; revision: number; message: string };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7386: the merge patch that turns `from` into `to` (removed keys become
 * null, objects are diffed, anything else is replaced).
 */
export function createMergePatch(from: JsonValue, to: JsonValue): JsonValue {
  if (!isObject(from) || !isObject(to)) return to;
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (!(key in to)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) {
      patch[key] = value;
    } else if (JSON.stringify(from[key]) !== JSON.stringify(value)) {
      patch[key] =
        isObject(from[key]) && isObject(value)
          ? createMergePatch(from[key], value)
          : value;
    }
  }
  return patch;
}

function flatten(value: JsonValue, path: string, into: Map<string, string>) {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) {
        flatten(child, path ? `${path}.${key}` : key, into);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((child, index) => {
      // containers, env, ports: name the item rather than number it
      const name =
        isObject(child) && typeof child.name === 'string' ? child.name : index;
      flatten(child, `${path}[${name}]`, into);
    });
  } else {
    into.set(path, JSON.stringify(value));
  }
}

/**
 * The difference between two pod templates, as `- field: old` and
 * `+ field: new` lines (the `pod-template-hash` label left out).
 */
export function templateDiff(from: JsonValue, to: JsonValue): string[] {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  flatten(from, '', before);
  flatten(to, '', after);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const lines: string[] = [];
  for (const path of paths) {
    if (before.get(path) === after.get(path)) continue;
    if (before.has(path)) lines.push(`- ${path}: ${before.get(path)}`);
    if (after.has(path)) lines.push(`+ ${path}: ${after.get(path)}`);
  }
  return lines;
}

/**
 * Decides a rollback as `kubectl rollout undo [--to-revision=N]` does:
 * refuses a paused Deployment, takes the revision before the newest one by
 * default, fails for an unknown revision or without history, and skips
 * when the Deployment already runs the revision's template.
 */
export function planRollback(options: {
  cluster: string;
  deployment: V1Deployment;
  replicaSets: V1ReplicaSet[];
  toRevision?: number;
}): RollbackDecision {
  const { cluster, deployment, replicaSets, toRevision } = options;
  const name = deployment.metadata?.name ?? '';
  const namespace = deployment.metadata?.namespace ?? 'default';
  if (deployment.spec?.paused) {
    throw new InputError(
      `You cannot roll back a paused deployment; resume ${namespace}/${name} first (kubectl rollout resume deployment/${name} -n ${namespace}) and try again`,
    );
  }
  const revisions = revisionsOf(deployment, replicaSets); // newest first
  let target: (typeof revisions)[number] | undefined;
  if (toRevision) {
    target = revisions.find(r => r.revision === toRevision);
    if (!target) {
      throw new NotFoundError(
        `Unable to find revision ${toRevision} of deployment ${namespace}/${name} in cluster ${cluster}; its history has ${
          revisions.map(r => r.revision).join(', ') || 'no revisions'
        }`,
      );
    }
  } else {
    // kubectl: the highest revision below the newest one
    target = revisions[1];
    if (!target) {
      throw new NotFoundError(
        `No rollout history found for deployment ${namespace}/${name} in cluster ${cluster}: it has ${
          revisions.length === 0 ? 'no revision' : 'only one revision'
        }, nothing to roll back to`,
      );
    }
  }

  if (
    templatesEqual(target.replicaSet.spec?.template, deployment.spec?.template)
  ) {
    return {
      kind: 'skipped',
      revision: target.revision,
      message: `skipped rollback (current template already matches revision ${target.revision})`,
    };
  }

  const current = plainTemplate(deployment.spec?.template) as JsonObject;
  const wanted = plainTemplate(target.replicaSet.spec?.template) as JsonObject;
  const annotations: JsonObject = {};
  for (const [key, value] of Object.entries(
    target.replicaSet.metadata?.annotations ?? {},
  )) {
    if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  const resourceVersion = deployment.metadata?.resourceVersion ?? '';
  const fromRevision = Number(
    deployment.metadata?.annotations?.[REVISION_ANNOTATION] ??
      revisions[0]?.revision ??
      0,
  );
  return {
    kind: 'rollback',
    plan: {
      cluster,
      namespace,
      name,
      fromRevision,
      fromImages: imagesOf(deployment.spec?.template),
      toRevision: target.revision,
      toImages: target.images,
      ...(target.changeCause ? { toChangeCause: target.changeCause } : {}),
      diff: templateDiff(current, wanted),
      resourceVersion,
      generation: deployment.metadata?.generation ?? 0,
      progressDeadlineSeconds: deployment.spec?.progressDeadlineSeconds ?? 600,
      patch: {
        metadata: {
          // a precondition: the API server refuses the patch with 409
          // Conflict if the Deployment changed since it was read
          resourceVersion,
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec: { template: createMergePatch(current, wanted) },
      },
    },
  };
}
