import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { opsPermissions } from '@opsdeck/plugin-ops-common';
import {
  opsReadinessExtensionPoint,
  ReadinessCheck,
} from '@opsdeck/plugin-ops-node';
import { DatabaseOpsStore } from './database/DatabaseOpsStore';
import { createRouter } from './router';
import {
  readDrillAbandonAfterMs,
  readRecoveryObjectives,
  readSeverityLevels,
} from './service/config';
import {
  DEFAULT_ABANDON_AFTER_MS,
  DrillsService,
} from './service/DrillsService';
import { EntityAccess } from './service/EntityAccess';
import { IncidentsService } from './service/IncidentsService';
import { OpsMetrics } from './service/OpsMetrics';
import { annotationChecks } from './services/readiness/annotationChecks';
import {
  createDrillCheck,
  readDrillIntervals,
} from './services/readiness/drillCheck';
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
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
      }) {
        permissionsRegistry.addPermissions(opsPermissions);

        const store = await DatabaseOpsStore.create({ database });
        const access = new EntityAccess(catalog, permissions, {
          readCacheTtlMs: config.has('ops.access.entityReadCacheTtl')
            ? durationToMilliseconds(
                readDurationFromConfig(config, {
                  key: 'ops.access.entityReadCacheTtl',
                }),
              )
            : 5000,
        });
        const metrics = new OpsMetrics(store);

        const documentationUrl =
          config.getOptionalString('ops.documentationUrl') ??
          `${config.getString('app.baseUrl')}/ops/annotations`;
        const readiness = ReadinessService.create({
          catalog,
          logger,
          checks: [
            ...annotationChecks,
            createDrillCheck({
              store,
              intervalDays: readDrillIntervals(config),
            }),
            ...addedChecks,
          ],
          documentationUrl,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            readiness,
            incidents: new IncidentsService(
              store,
              access,
              readSeverityLevels(config),
            ),
            drills: new DrillsService(
              store,
              access,
              readRecoveryObjectives(config),
              drill => metrics.drillFinished(drill),
              readDrillAbandonAfterMs(config, DEFAULT_ABANDON_AFTER_MS),
            ),
            metrics,
          }),
        );
        if (config.getOptionalBoolean('ops.metrics.allowUnauthenticated')) {
          httpRouter.addAuthPolicy({
            path: '/metrics',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
