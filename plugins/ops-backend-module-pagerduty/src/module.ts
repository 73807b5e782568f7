import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { opsOnCallExtensionPoint } from '@opsdeck/plugin-ops-node';
import { PAGERDUTY_CONFIG_KEY, readPagerDutyConfig } from './config';
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
        const settings = readPagerDutyConfig(config);
        if (!settings) {
          logger.warn(
            `${PAGERDUTY_CONFIG_KEY}.apiToken is not set: entities on PagerDuty show "PagerDuty unavailable"`,
          );
        }
        onCall.addProvider(
          createPagerDutyProvider({
            catalog,
            logger,
            client: settings ? new PagerDutyClient(settings) : undefined,
          }),
        );
      },
    });
  },
});
