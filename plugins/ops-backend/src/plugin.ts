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
  DeploymentHistorySource,
  KubernetesWorkloads,
  opsDeploymentHistoryExtensionPoint,
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
import { DeploymentsStore } from './database/DeploymentsStore';
import { createRouter } from './router';
import {
  readDrillAbandonAfterMs,
  readRecoveryObjectives,
  readSeverityLevels,
} from './service/config';
import { DeploymentsService } from './service/deployments/DeploymentsService';
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
import { createSloCheck } from './services/readiness/sloCheck';
import { ReadinessService } from './services/readiness/ReadinessService';
import { PrometheusServers } from './service/slo/PrometheusServers';
import { SloDocumentReader } from './service/slo/SloDocumentReader';
import { SloService } from './service/slo/SloService';
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

    const historySources: DeploymentHistorySource[] = [];
    env.registerExtensionPoint(opsDeploymentHistoryExtensionPoint, {
      addSources(...sources) {
        historySources.push(...sources);
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
        cache: coreServices.cache,
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
        cache,
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
        const slos = new SloService({
          access,
          servers: PrometheusServers.fromConfig(config, { cache }),
          documents: new SloDocumentReader(urlReader),
          logger,
          cache,
          documentCacheTtlMs: 15_000,
          appBaseUrl: config.getString('app.baseUrl'),
        });

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
                { cache, scheduleCacheTtlMs: 30_000 },
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
            createSloCheck({ slos }),
            ...annotationChecks,
            createDrillCheck({
              store,
              intervalDays: readDrillIntervals(config),
            }),
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
              readDrillAbandonAfterMs(config, DEFAULT_ABANDON_AFTER_MS),
            ),
            metrics,
            slos,
            deployments: new DeploymentsService(
              await DeploymentsStore.create({ database }),
              store,
              access,
              catalog,
              [KubernetesWorkloads.fromConfig(config), ...historySources],
            ),
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
