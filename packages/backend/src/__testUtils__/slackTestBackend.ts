import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import catalogBackend from '@backstage/plugin-catalog-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import { eventually, exampleAppConfig } from './exampleApp';
import {
  DEMO_SLACK_TOKEN,
  demoSlackChannels,
  demoSlackUsers,
} from './fakeSlack/demoWorkspace';
import { FakeSlack, startFakeSlack } from './fakeSlack/fakeSlack';
import { routeSlackModuleInJest } from './fakeSlack/routeSlackModuleInJest';

// A backend of the example app with the notifications backend and
// Backstage's Slack notifications module, unchanged, its Web API calls routed
// to a fake Slack of the examples' workspace on a free loopback port.

export interface SlackTestBackend {
  fakeSlack: FakeSlack;
  /** http://localhost:<port>/api */
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startSlackTestBackend(options: {
  features?: BackendFeature[];
  /** Merged over the example app's config. */
  config?: Record<string, unknown>;
}): Promise<SlackTestBackend> {
  const fakeSlack = await startFakeSlack({
    token: DEMO_SLACK_TOKEN,
    channels: demoSlackChannels,
    users: demoSlackUsers,
  });
  try {
    routeSlackModuleInJest(() => fakeSlack.apiUrl);
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        notificationsBackend,
        // Loaded after the routing above, so that it gets the routed client.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@backstage/plugin-notifications-backend-module-slack').default,
        ...(options.features ?? []),
        mockServices.rootConfig.factory({
          data: {
            ...exampleAppConfig(),
            notifications: {
              processors: { slack: [{ token: DEMO_SLACK_TOKEN }] },
            },
            ...options.config,
          },
        }),
      ],
    });
    const baseUrl = `http://localhost:${backend.server.port()}/api`;
    // The module caches the catalog's answers for minutes: send once the
    // catalog has the examples.
    await eventually(async () => {
      for (const path of [
        'component/default/payments-api',
        'user/default/amara.okafor',
      ]) {
        const found = await fetch(
          `${baseUrl}/catalog/entities/by-name/${path}`,
          { headers: { authorization: mockCredentials.service.header() } },
        );
        if (!found.ok) throw new Error(`catalog ${path}: ${found.status}`);
      }
    });
    return {
      fakeSlack,
      baseUrl,
      stop: async () => {
        await backend.stop();
        await fakeSlack.stop();
      },
    };
  } catch (error) {
    await fakeSlack.stop();
    throw error;
  }
}
