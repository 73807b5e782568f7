import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  NotificationSendOptions,
  notificationsProcessingExtensionPoint,
} from '@backstage/plugin-notifications-node';
import { Notification } from '@backstage/plugin-notifications-common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { opsPlugin } from '../../plugin';

const SCRIPT = path.resolve(
  __dirname,
  '../../../../../scripts/postgres-for-tests.sh',
);

/**
 * A PostgreSQL cluster of the test's own (scripts/postgres-for-tests.sh in
 * a temp dir, on the first free port from `firstPort`: each suite its own
 * range, as they start at once): the ops and notifications plugins of one
 * or two backends keep their tables there.
 */
export async function startPostgres(firstPort: number): Promise<{
  connection: string;
  stop: () => Promise<void>;
}> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-notify-pg-'));
  const run = (command: 'start' | 'stop') => {
    const result = spawnSync('bash', [SCRIPT, command], {
      encoding: 'utf8',
      env: {
        ...process.env,
        OPSDECK_PG_TESTS_DIR: dir,
        OPSDECK_PG_TESTS_PORT: String(firstPort),
      },
    });
    if (result.status !== 0) {
      throw new Error(`postgres-for-tests.sh ${command}: ${result.stderr}`);
    }
    return result.stdout;
  };
  const connection = /=(postgres\S+)/.exec(run('start'))?.[1];
  if (!connection) throw new Error('postgres-for-tests.sh printed no URL');
  return {
    connection,
    stop: async () => {
      run('stop');
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A user of the catalog, with a display name the messages use. */
export function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: {
        displayName: `${name[0].toUpperCase()}${name.slice(1)} Example`,
      },
      memberOf: [],
    },
  };
}

/** A team owning `components`, with its members, as the catalog relates them. */
export function team(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(m => ({
      type: 'hasMember',
      targetRef: `user:default/${m}`,
    })),
  };
}

/**
 * The ops and the real notifications backend over one PostgreSQL database
 * (`prefix`), a catalog of `entities`, and a processor of the notifications'
 * own extension point that keeps every send request, as the Slack module
 * would see it.
 */
export async function startNotificationsBackend(options: {
  connection: string;
  prefix: string;
  entities: Entity[];
  ops: JsonObject;
}) {
  const sends: NotificationSendOptions[] = [];
  let scheduler: SchedulerService | undefined;
  // The ops plugin's scheduler, to run its tasks now (triggerTask).
  const schedulerOfOps = createBackendModule({
    pluginId: 'ops',
    moduleId: 'opsdeck-test-scheduler',
    register(env) {
      env.registerInit({
        deps: { plugin: coreServices.scheduler },
        async init({ plugin }) {
          scheduler = plugin;
        },
      });
    },
  });
  const recorder = createBackendModule({
    pluginId: 'notifications',
    moduleId: 'opsdeck-test-recorder',
    register(env) {
      env.registerInit({
        deps: { processing: notificationsProcessingExtensionPoint },
        async init({ processing }) {
          processing.addProcessor({
            getName: () => 'recorder',
            processOptions: async opts => {
              sends.push(opts);
              return opts;
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      opsPlugin,
      notificationsPlugin,
      recorder,
      schedulerOfOps,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: {
              client: 'pg',
              connection: options.connection,
              prefix: options.prefix,
            },
          },
          ops: options.ops,
        },
      }),
      databaseServiceFactory,
      // A failed delivery is only logged (OpsEvents): show why.
      mockServices.rootLogger.factory({ level: 'warn' }),
      // Tasks run when a test triggers them, not at start.
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: options.entities }),
    ],
  });
  const server = backend.server;

  /** What the user's inbox shows, through the notifications REST API. */
  const inbox = async (userName: string): Promise<Notification[]> => {
    const res = await request(server)
      .get('/api/notifications/notifications?limit=100')
      .set(
        'Authorization',
        mockCredentials.user.header(`user:default/${userName}`),
      );
    if (res.status !== 200) {
      throw new Error(`inbox of ${userName}: ${res.status} ${res.text}`);
    }
    return res.body.notifications;
  };
  return { backend, server, scheduler: scheduler!, sends, inbox };
}
