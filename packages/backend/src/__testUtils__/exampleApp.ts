import { resolve } from 'node:path';
import { JsonObject } from '@backstage/config';
// The tests are about the app's own configuration, which lives at the repository root.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import appConfigYaml from '../../../../app-config.yaml';

// The app's own app-config.yaml, as the backend tests start it.

const backendDir = resolve(__dirname, '../..');

// The backend's jest config transforms a YAML import into the parsed
// document; the asset type only knows the bundler's file URL.
const appConfig = appConfigYaml as unknown as {
  app: { baseUrl: string };
  auth: { providers: { guest: { userEntityRef: string } } };
  catalog: {
    rules: JsonObject[];
    locations: Array<{ type: string; target: string }>;
  };
  permission: JsonObject;
  ops: JsonObject;
};

export function exampleAppConfig(guestUserEntityRef?: string) {
  const guest = appConfig.auth.providers.guest;
  return {
    app: { baseUrl: appConfig.app.baseUrl },
    auth: {
      providers: {
        guest: {
          ...guest,
          userEntityRef: guestUserEntityRef ?? guest.userEntityRef,
          // Tests do not run with NODE_ENV=development.
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      rules: appConfig.catalog.rules,
      // File targets are relative to packages/backend, where the backend runs.
      locations: appConfig.catalog.locations.map(location => ({
        ...location,
        target: resolve(backendDir, location.target),
      })),
    },
    permission: appConfig.permission,
    ops: appConfig.ops,
  };
}

/** Retries `check` while the catalog ingests the example entities. */
export async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }
}
