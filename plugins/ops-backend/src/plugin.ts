import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { opsPermissions } from '@opsdeck/plugin-ops-common';
import {
  OnCallProvider,
  opsOnCallExtensionPoint,
  opsReadinessExtensionPoint,
  ReadinessCheck,
} from '@opsdeck/plugin-ops-node';
import { AlertGroupStore } from './database/AlertGroupStore';
import { OnCallOverrideStore } from './database/OnCallOverrideStore';
import { AlertmanagerService } from './service/alerts/AlertmanagerService';
import { readAlertmanagerOptions } from './service/alerts/severityMapping';
import { OnCallService } from './service/oncall/OnCallService';
import { createScheduleProvider } from './service/oncall/scheduleProvider';
import {
  readConfigSchedules,
  ScheduleSource,
} from './service/oncall/scheduleSource';
import { DatabaseOpsStore } from './database/DatabaseOpsStore';
import { createRouter } from './router';
import { readRecoveryObjectives, readSeverityLevels } from './service/config';
import { DrillsService } from './service/DrillsService';
import { EntityAccess } from './service/EntityAccess';
import { IncidentsService } from './service/IncidentsService';
import { OpsMetrics } from './service/OpsMetrics';
import { annotationChecks } from './services/readiness/annotationChecks';
import { createDrillCheck } from './services/readiness/drillCheck';
import { ReadinessService } from './services/readiness/ReadinessService';
import {
  createOnCallCheck,
  createRunbooksCheck,
} from './services/readiness/onCallChecks';

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
    const onCallProviders: OnCallProvider[] = [];
    env.registerExtensionPoint(opsOnCallExtensionPoint, {
      addProvider(provider) {
        onCallProviders.push(provider);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpAuth,
        auth,
        httpRouter,
        permissions,
        permissionsRegistry,
        auditor,
        urlReader,
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
        const severities = readSeverityLevels(config);
        const incidents = new IncidentsService(store, access, severities);
        const overrides = await OnCallOverrideStore.create({ database });
        const onCall = new OnCallService({
          // Providers from modules first; the built-in schedules last.
          providers: [
            ...onCallProviders,
            createScheduleProvider({
              schedules: new ScheduleSource(
                readConfigSchedules(config),
                urlReader,
              ),
              overrides,
              catalog,
            }),
          ],
          access,
          catalog,
          overrides,
          logger,
        });
        const alertmanager = new AlertmanagerService({
          options: readAlertmanagerOptions(config, severities),
          access,
          incidents,
          store,
          groups: await AlertGroupStore.create({ database }),
          onCall,
          appBaseUrl: config.getString('app.baseUrl'),
          logger,
        });

        const readiness = ReadinessService.create({
          catalog,
          logger,
          checks: [
            ...annotationChecks,
            createDrillCheck({ store }),
            // Live versions of the annotation checks, in their place.
            createRunbooksCheck({ urlReader }),
            createOnCallCheck({ onCall }),
            ...addedChecks,
          ],
          documentationUrl,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            auth,
            auditor,
            readiness,
            incidents,
            onCall,
            alertmanager,
            drills: new DrillsService(
              store,
              access,
              readRecoveryObjectives(config),
              drill => metrics.drillFinished(drill),
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
