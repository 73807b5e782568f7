import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  opsReadinessExtensionPoint,
  ReadinessCheck,
} from '@opsdeck/plugin-ops-node';
import { createRouter } from './router';
import { annotationChecks } from './services/readiness/annotationChecks';
import { ReadinessService } from './services/readiness/ReadinessService';

/**
 * The OpsDeck backend plugin, serving `/api/ops`.
 *
 * @public
 */
export const opsPlugin = createBackendPlugin({
  pluginId: 'ops',
  register(env) {
    const addedChecks: ReadinessCheck[] = [];
    env.registerExtensionPoint(opsReadinessExtensionPoint, {
      addChecks(...checks) {
        addedChecks.push(...checks);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, httpAuth, httpRouter, catalog }) {
        const documentationUrl =
          config.getOptionalString('ops.documentationUrl') ??
          `${config.getString('app.baseUrl')}/ops/annotations`;
        const readiness = ReadinessService.create({
          catalog,
          logger,
          checks: [...annotationChecks, ...addedChecks],
          documentationUrl,
        });
        httpRouter.use(await createRouter({ httpAuth, readiness }));
      },
    });
  },
});
