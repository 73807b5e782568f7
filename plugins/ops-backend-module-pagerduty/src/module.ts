import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { opsOnCallExtensionPoint } from '@opsdeck/plugin-ops-node';
import { PagerDutyClient } from './PagerDutyClient';
import { createPagerDutyProvider } from './pagerDutyProvider';

/**
 * Registers PagerDuty as the on-call provider of entities annotated
 * `pagerduty.com/service-id`.
 *
 * @public
 */
export const opsModulePagerduty = createBackendModule({
  pluginId: 'ops',
  moduleId: 'pagerduty',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        onCall: opsOnCallExtensionPoint,
      },
      async init({ config, logger, catalog, onCall }) {
        const section = config.getOptionalConfig('ops.pagerduty');
        const apiToken = section?.getOptionalString('apiToken');
        if (!apiToken) {
          logger.warn(
            'ops.pagerduty.apiToken is not set: entities on PagerDuty show "PagerDuty unavailable"',
          );
        }
        onCall.addProvider(
          createPagerDutyProvider({
            catalog,
            logger,
            client: apiToken
              ? new PagerDutyClient({
                  apiToken,
                  apiBaseUrl:
                    section?.getOptionalString('apiBaseUrl') ??
                    'https://api.pagerduty.com',
                  maxRetries: section?.getOptionalNumber('maxRetries') ?? 3,
                  maxRetryAfterSeconds:
                    section?.getOptionalNumber('maxRetryAfterSeconds') ?? 10,
                  timeoutSeconds:
                    section?.getOptionalNumber('timeoutSeconds') ?? 10,
                })
              : undefined,
          }),
        );
      },
    });
  },
});
