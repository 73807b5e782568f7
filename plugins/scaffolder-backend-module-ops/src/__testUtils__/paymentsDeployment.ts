import { Entity } from '@backstage/catalog-model';
import {
  deploymentManifest,
  FakeKubernetesApiServer,
  setImage,
} from '@opsdeck/plugin-ops-node/testUtils';

// payments-api as the rollback tests know it: the catalog entity and its
// Deployment in the fake cluster, with three revisions.

export const PAYMENTS_IMAGE = 'registry.example.com/payments-api';

export const paymentsEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

/** payments/payments-api with revisions 1, 2, 3 (3 running). */
export function deployPayments(
  server: FakeKubernetesApiServer,
  options: { progressDeadlineSeconds?: number } = {},
) {
  server.createDeployment(
    deploymentManifest({
      name: 'payments-api',
      namespace: 'payments',
      kubernetesId: 'payments-api',
      image: `${PAYMENTS_IMAGE}:1.0.0`,
      changeCause: 'release 1.0.0',
      ...options,
    }),
  );
  for (const version of ['1.1.0', '1.2.0']) {
    server.updateDeployment(
      'payments',
      'payments-api',
      setImage(`${PAYMENTS_IMAGE}:${version}`, `release ${version}`),
      { rollOut: true },
    );
  }
}
