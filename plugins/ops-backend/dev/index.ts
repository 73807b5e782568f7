import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// A minimal backend for working on the ops plugin alone, with mocked auth and
// a fixed catalog. Start it with `yarn start` in this package, then:
//
//   curl 'http://localhost:7007/api/ops/readiness?entityRef=component:default/sample'

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'sample',
          annotations: { 'backstage.io/kubernetes-id': 'sample' },
        },
        spec: {
          type: 'service',
          owner: 'team-sample',
          lifecycle: 'production',
        },
      },
    ],
  }),
);
backend.add(import('../src'));

backend.start();
