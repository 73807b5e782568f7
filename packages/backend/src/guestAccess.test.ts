import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionBackend from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { opsIncidentWritePermission } from '@opsdeck/plugin-ops-common';
import { eventually, exampleAppConfig } from './__testUtils__/exampleApp';
import { permissionPolicyModule } from './modules/permissionPolicy';

// The auth, catalog and permission plugins of the app, configured by the
// app's own app-config.yaml, on the example catalog: the guest signs in as a
// catalog user and OpsDeck permissions follow its groups' ownership.

async function startExampleBackend(guestUserEntityRef?: string) {
  const { server } = await startTestBackend({
    features: [
      authBackend,
      guestProvider,
      catalogBackend,
      scaffolderEntityModel,
      permissionBackend,
      permissionPolicyModule,
      // Real user tokens, issued by the auth plugin, all the way through.
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: exampleAppConfig(guestUserEntityRef),
      }),
    ],
  });
  const baseUrl = `http://localhost:${server.port()}/api`;

  async function signIn(): Promise<{
    token: string;
    identity: { userEntityRef: string; ownershipEntityRefs: string[] };
  }> {
    const response = await fetch(`${baseUrl}/auth/guest/refresh`);
    if (!response.ok) {
      throw new Error(`Guest sign-in failed: ${await response.text()}`);
    }
    return (await response.json()).backstageIdentity;
  }

  function requestIncidentWrite(
    token: string | undefined,
    resourceRef: string,
  ) {
    return fetch(`${baseUrl}/permission/authorize`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({
        items: [
          { id: '1', permission: opsIncidentWritePermission, resourceRef },
        ],
      }),
    });
  }

  async function authorizeIncidentWrite(token: string, resourceRef: string) {
    const response = await requestIncidentWrite(token, resourceRef);
    if (!response.ok) {
      throw new Error(`Authorize failed: ${await response.text()}`);
    }
    const { items } = await response.json();
    return items[0].result as AuthorizeResult;
  }

  // Sign in once the catalog has the signed-in user and every entity used
  // below: until then the guest provider falls back to a token without
  // group ownership, and the catalog cannot apply ownership conditions.
  const session = await eventually(async () => {
    const signedIn = await signIn();
    expect(signedIn.identity.ownershipEntityRefs.length).toBeGreaterThan(1);
    for (const path of [
      'component/default/payments-api',
      'component/default/orders-api',
      'component/default/search-api',
      'system/default/commerce',
      'template/default/ops-readiness-check',
    ]) {
      const response = await fetch(
        `${baseUrl}/catalog/entities/by-name/${path}`,
        { headers: { authorization: `Bearer ${signedIn.token}` } },
      );
      expect(response.status).toBe(200);
    }
    return signedIn;
  });

  return { session, authorizeIncidentWrite, requestIncidentWrite };
}

describe('the example app', () => {
  describe('signed in with the guest provider', () => {
    let example: Awaited<ReturnType<typeof startExampleBackend>>;
    beforeAll(async () => {
      example = await startExampleBackend();
    }, 60_000);

    it('is the catalog user guest, owning what its groups own', () => {
      const { identity } = example.session;
      expect(identity.userEntityRef).toBe('user:default/guest');
      expect([...identity.ownershipEntityRefs].sort()).toEqual([
        'group:default/team-orders',
        'group:default/team-payments',
        'group:default/team-search',
        'user:default/guest',
      ]);
    });

    it('may run OpsDeck operations on the services its groups own', async () => {
      for (const service of ['payments-api', 'orders-api', 'search-api']) {
        await expect(
          example.authorizeIncidentWrite(
            example.session.token,
            `component:default/${service}`,
          ),
        ).resolves.toBe(AuthorizeResult.ALLOW);
      }
    });

    it('may not run them on entities of other groups: it is no OpsDeck admin', async () => {
      // Owned by engineering and by platform-admins.
      for (const ref of [
        'system:default/commerce',
        'template:default/ops-readiness-check',
      ]) {
        await expect(
          example.authorizeIncidentWrite(example.session.token, ref),
        ).resolves.toBe(AuthorizeResult.DENY);
      }
    });

    it('is needed: without signing in, the permission backend does not answer', async () => {
      const anonymous = await example.requestIncidentWrite(
        undefined,
        'component:default/payments-api',
      );
      expect(anonymous.status).toBe(401);
    });
  });

  it('lets a member of platform-admins run OpsDeck operations on every entity', async () => {
    const admin = await startExampleBackend('user:default/grace.kim');

    expect(admin.session.identity.ownershipEntityRefs).toContain(
      'group:default/platform-admins',
    );
    for (const ref of [
      'system:default/commerce',
      'component:default/search-api',
    ]) {
      await expect(
        admin.authorizeIncidentWrite(admin.session.token, ref),
      ).resolves.toBe(AuthorizeResult.ALLOW);
    }
  }, 60_000);
});
