import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { opsPermissions } from '@opsdeck/plugin-ops-common';
import {
  DeploymentHistorySource,
  KubernetesWorkloads,
  OnCallProvider,
  opsDeploymentHistoryExtensionPoint,
  opsOnCallExtensionPoint,
  opsReadinessExtensionPoint,
  ReadinessCheck,
} from '@opsdeck/plugin-ops-node';
import { EntityAccess } from './access/EntityAccess';
import {
  createAuditedAction,
  registerOpsActions,
} from './actions/registerOpsActions';
import { DatabaseAlertGroupStore } from './alerts/DatabaseAlertGroupStore';
import { AlertmanagerService } from './alerts/AlertmanagerService';
import { readOpsConfig } from './config';
import { applyMigrations } from './database/migrations';
import { DeploymentsService } from './deployments/DeploymentsService';
import { DatabaseDeploymentStore } from './deployments/DatabaseDeploymentStore';
import { DatabaseDrillStore } from './drills/DatabaseDrillStore';
import { DrillsService } from './drills/DrillsService';
import { OpsEvents } from './events/OpsEvents';
import { createAudited } from './http/audit';
import {
  createCredentials,
  createServiceCredentials,
} from './http/credentials';
import { createRouter } from './http/createRouter';
import { OpsMetrics } from './http/OpsMetrics';
import { createWriteRateLimit } from './http/writeRateLimit';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { IncidentsService } from './incidents/IncidentsService';
import { DatabaseOnCallOverrideStore } from './oncall/DatabaseOnCallOverrideStore';
import { startOpsNotifications } from './notifications';
import { createPostmortems } from './postmortems';
import { OnCallService } from './oncall/OnCallService';
import { createScheduleProvider } from './oncall/scheduleProvider';
import { ScheduleSource } from './oncall/scheduleSource';
import { dashboardsCheck, rollbackCheck } from './readiness/checks/annotations';
import { createDrillCheck } from './readiness/checks/drills';
import { createOnCallCheck } from './readiness/checks/oncall';
import { createRunbooksCheck } from './readiness/checks/runbooks';
import { createSloCheck } from './readiness/checks/slos';
import { ReadinessService } from './readiness/ReadinessService';
import { OpsSignals } from './signals/OpsSignals';
import { PrometheusServers } from './slo/PrometheusServers';
import { SloDocumentReader } from './slo/SloDocumentReader';
import { SloService } from './slo/SloService';

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
        notifications: notificationService,
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
        signals: signalsServiceRef,
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
        notifications,
        scheduler,
        actionsRegistry,
        signals,
      }) {
        const opsConfig = readOpsConfig(config);
        permissionsRegistry.addPermissions(opsPermissions);

        // Once, before any store reads a table.
        const knex = await applyMigrations(database);
        const stores = {
          incidents: await DatabaseIncidentStore.create({ database }),
          drills: await DatabaseDrillStore.create({ database }),
          deployments: await DatabaseDeploymentStore.create({ database }),
          overrides: await DatabaseOnCallOverrideStore.create({ database }),
          alertGroups: await DatabaseAlertGroupStore.create({ database }),
        };

        const access = new EntityAccess({
          catalog,
          permissions,
          cache,
          readCacheTtlMs: opsConfig.entityReadCacheTtlMs,
        });
        const metrics = new OpsMetrics(stores);
        // Record changes, heard by notifications and live cards.
        const events = new OpsEvents({ logger });
        // Live cards: open pages of the entity read the changed record again.
        events.subscribe(new OpsSignals(signals).publish);
        const prometheus = PrometheusServers.create({
          config: opsConfig.prometheus,
          cache,
        });
        const slos = new SloService({
          access,
          servers: prometheus,
          documents: new SloDocumentReader(urlReader),
          logger,
          cache,
          documentCacheTtlMs: 15_000,
          appBaseUrl: opsConfig.appBaseUrl,
        });
        const incidents = new IncidentsService({
          store: stores.incidents,
          access,
          severities: opsConfig.severities,
          events,
        });
        const drills = new DrillsService({
          store: stores.drills,
          access,
          defaultObjectives: opsConfig.recoveryObjectives,
          onFinished: drill => metrics.drillFinished(drill),
          abandonAfterMs: opsConfig.drillAbandonAfterMs,
          bindingOf: opsConfig.databaseBinding,
          events,
        });
        const schedules = createScheduleProvider({
          schedules: new ScheduleSource({
            configSchedules: opsConfig.schedules,
            urlReader,
            cache,
            scheduleCacheTtlMs: 30_000,
          }),
          overrides: stores.overrides,
          access,
        });
        const onCall = new OnCallService({
          // Providers from modules first; the built-in schedules last, and
          // standing in for a module's provider while it fails.
          providers: [...onCallProviders, schedules],
          fallback: schedules,
          access,
          catalog,
          overrides: stores.overrides,
          logger,
        });
        const alertmanager = new AlertmanagerService({
          options: opsConfig.alertmanager,
          access,
          incidents,
          store: stores.incidents,
          groups: stores.alertGroups,
          onCall,
          appBaseUrl: opsConfig.appBaseUrl,
          logger,
        });
        const deployments = new DeploymentsService({
          store: stores.deployments,
          access,
          cache,
          maxWindowDays: opsConfig.deploymentsMaxWindowDays,
          historySources: [
            KubernetesWorkloads.fromConfig(config),
            ...historySources,
          ],
        });

        // One drill rule for the readiness checklist and the overdue-drill
        // notifications, so both say the same of a target.
        const postmortems = await createPostmortems({
          ...{ config, database, access, catalog, events, onCall, slos },
          ...{ incidents, deployments, prometheus },
          severities: opsConfig.severities,
          incidentStore: stores.incidents,
        });

        const drillCheck = createDrillCheck({
          store: stores.drills,
          intervalDays: opsConfig.drillIntervalDays,
          bindingOf: opsConfig.databaseBinding,
        });
        const readiness = ReadinessService.create({
          access,
          logger,
          // The checklist in its order; a module's check with the id of a
          // built-in one replaces it in place.
          checks: [
            createSloCheck({ slos }),
            createRunbooksCheck({ urlReader }),
            createOnCallCheck({ onCall }),
            dashboardsCheck,
            rollbackCheck,
            drillCheck,
            postmortems.learningCheck,
            ...addedChecks,
          ],
          documentationUrl: opsConfig.documentationUrl,
        });

        // Notifications: each event to the people concerned, and the scheduled
        // error budget and overdue drill checks.
        await startOpsNotifications({
          options: opsConfig.notifications,
          severities: opsConfig.severities,
          events,
          notifications,
          scheduler,
          auth,
          catalog,
          onCall,
          slos,
          drillCheck,
          drillIntervalDays: opsConfig.drillIntervalDays,
          overdueLearning: postmortems.overdue,
          knex,
          logger,
        });

        httpRouter.use(
          createRouter({
            audited: createAudited(auditor),
            credentials: createCredentials(httpAuth, opsConfig.principals),
            deploymentCredentials: createCredentials(
              httpAuth,
              opsConfig.principals,
              'deployments',
            ),
            drillCredentials: createCredentials(
              httpAuth,
              opsConfig.principals,
              'drills',
            ),
            metricsCredentials: createCredentials(
              httpAuth,
              opsConfig.principals,
              'metrics',
            ),
            serviceCredentials: createServiceCredentials(
              httpAuth,
              auth,
              opsConfig.principals,
            ),
            metrics,
            writeRateLimit:
              opsConfig.writesPerMinute > 0
                ? createWriteRateLimit({
                    httpAuth,
                    perMinute: opsConfig.writesPerMinute,
                  })
                : undefined,
            readiness,
            incidents,
            drills,
            slos,
            onCall,
            alertmanager,
            deployments,
            postmortems: postmortems.service,
          }),
        );
        // Actions for agents (MCP): the same services, the caller's credentials.
        registerOpsActions(actionsRegistry, {
          access,
          incidents,
          drills,
          slos,
          onCall,
          readiness,
          deployments,
          audited: createAuditedAction(auditor),
          principals: opsConfig.principals,
        });
        if (opsConfig.metricsAllowUnauthenticated) {
          httpRouter.addAuthPolicy({
            path: '/metrics',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
