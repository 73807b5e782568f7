import { DeploymentHistoryResponse } from '@opsdeck/plugin-ops-common';
import { minutesAgo } from './fixtures';

export const IMAGE = 'registry.example.com/payments-api';

/** payments-api in production: revision 3 runs, revision 2 is older. */
export function paymentsHistory(
  errors: DeploymentHistoryResponse['errors'] = [],
): DeploymentHistoryResponse {
  return {
    items: [
      {
        source: 'kubernetes',
        cluster: 'production',
        namespace: 'payments',
        name: 'payments-api',
        rollout: {
          state: 'complete',
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
        },
        revisions: [
          {
            revision: 3,
            name: 'payments-api-7f9c2ba4e8',
            changeCause: 'release 1.4.2',
            images: [`${IMAGE}:1.4.2`],
            createdAt: minutesAgo(60),
            replicas: 3,
            readyReplicas: 3,
            current: true,
          },
          {
            revision: 2,
            name: 'payments-api-5d1e0c7a21',
            changeCause: 'release 1.4.1',
            images: [`${IMAGE}:1.4.1`],
            createdAt: minutesAgo(3 * 24 * 60),
            replicas: 0,
            readyReplicas: 0,
            current: false,
          },
        ],
      },
    ],
    errors,
  };
}
