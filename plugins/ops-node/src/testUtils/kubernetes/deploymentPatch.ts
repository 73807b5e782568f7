import { normalizePodTemplate } from './defaults';
import { ApiError, status } from './errors';
import { FakeCluster } from './cluster';
import { canonical, clone } from './json';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  TestFailed,
} from './patches';
import { KubernetesObject, RecordedRequest } from './types';

// A PATCH of a Deployment as the API server takes it: the patch applied in
// the format its content type names, then the server's checks, then the
// write the controller reacts to.

/** Applies a PATCH request to a live Deployment; returns what the server answers. */
export function patchDeployment(
  cluster: FakeCluster,
  deployment: KubernetesObject,
  request: RecordedRequest,
): KubernetesObject {
  const body = request.body as any;
  let patched: KubernetesObject;
  try {
    switch (request.contentType?.split(';')[0]) {
      case 'application/merge-patch+json':
        patched = applyMergePatch(clone(deployment), body) as KubernetesObject;
        break;
      case 'application/strategic-merge-patch+json':
        patched = applyStrategicMergePatch(
          clone(deployment),
          body,
        ) as KubernetesObject;
        break;
      case 'application/json-patch+json':
        patched = applyJsonPatch(clone(deployment), body) as KubernetesObject;
        break;
      default:
        throw new ApiError(
          status(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          ),
        );
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof TestFailed) {
      throw new ApiError(status(422, 'Invalid', error.message));
    }
    throw new ApiError(status(422, 'Invalid', (error as Error).message));
  }
  const name = deployment.metadata.name;
  // A resourceVersion (or uid) in the patched object is a precondition,
  // as on a real API server: a stale one is a conflict.
  if (
    patched.metadata?.resourceVersion !== deployment.metadata.resourceVersion
  ) {
    throw new ApiError(
      status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: 'apps', kind: 'deployments' },
      ),
    );
  }
  if (patched.metadata?.uid !== deployment.metadata.uid) {
    throw new ApiError(
      status(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${patched.metadata?.uid}, UID in object meta: ${deployment.metadata.uid}`,
      ),
    );
  }
  if (
    canonical(patched.spec?.selector) !== canonical(deployment.spec.selector)
  ) {
    throw new ApiError(
      status(
        422,
        'Invalid',
        `Deployment.apps "${name}" is invalid: spec.selector: Invalid value: field is immutable`,
      ),
    );
  }
  normalizePodTemplate(patched);
  if (request.query.dryRun === 'All') {
    return patched;
  }
  const specChanged = canonical(patched.spec) !== canonical(deployment.spec);
  Object.assign(deployment, patched);
  for (const key of Object.keys(deployment)) {
    if (!(key in patched)) delete deployment[key];
  }
  cluster.written(deployment, specChanged);
  return clone(deployment);
}
