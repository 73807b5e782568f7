import {
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  opsIncidentWritePermission,
  opsPermissions,
} from '@opsdeck/plugin-ops-common';
import { OpsDeckPermissionPolicy } from './permissionPolicy';

const ADMIN = 'user:default/grace.kim';
const PAYMENTS_ENGINEER = 'user:default/amara.okafor';

/** What the users' tokens say they own. */
const ownership: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/platform-admins'],
  [PAYMENTS_ENGINEER]: [PAYMENTS_ENGINEER, 'group:default/team-payments'],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    return {
      userEntityRef,
      ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
    };
  },
};

const configData = {
  ops: { permissions: { adminGroups: ['group:default/platform-admins'] } },
};

function userFor(userEntityRef: string) {
  const credentials = mockCredentials.user(userEntityRef);
  return {
    credentials,
    info: {
      userEntityRef,
      ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
    },
  };
}

describe('OpsDeckPermissionPolicy', () => {
  const policy = OpsDeckPermissionPolicy.fromConfig(
    mockServices.rootConfig({ data: configData }),
    { userInfo },
  );

  it('allows permissions that are not OpsDeck’s, with or without a user', async () => {
    const templateManagement = createPermission({
      name: 'scaffolder.template.management',
      attributes: {},
    });

    for (const permission of [
      catalogEntityReadPermission,
      templateManagement,
    ]) {
      await expect(
        policy.handle({ permission }, userFor(PAYMENTS_ENGINEER)),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it.each(opsPermissions.map(p => [p.name, p]))(
    'allows %s to members of an admin group on any entity',
    async (_name, permission) => {
      await expect(
        policy.handle({ permission }, userFor(ADMIN)),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    },
  );

  it.each(opsPermissions.map(p => [p.name, p]))(
    'allows %s to any other user only on the entities they own',
    async (_name, permission) => {
      await expect(
        policy.handle({ permission }, userFor(PAYMENTS_ENGINEER)),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: [PAYMENTS_ENGINEER, 'group:default/team-payments'],
          },
        },
      });
    },
  );

  it.each(opsPermissions.map(p => [p.name, p]))(
    'denies %s to a request without a user',
    async (_name, permission) => {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    },
  );

  it('reads the ownership of the user from the user info service', async () => {
    // The deprecated `info` of the query says admin; the user info service,
    // which reads the user's token, does not.
    const user = {
      credentials: mockCredentials.user(PAYMENTS_ENGINEER),
      info: {
        userEntityRef: PAYMENTS_ENGINEER,
        ownershipEntityRefs: ['group:default/platform-admins'],
      },
    };

    await expect(
      policy.handle({ permission: opsIncidentWritePermission }, user),
    ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
  });

  it('matches admin groups written in any case or without a namespace', async () => {
    const shortRefPolicy = OpsDeckPermissionPolicy.fromConfig(
      mockServices.rootConfig({
        data: { ops: { permissions: { adminGroups: ['Platform-Admins'] } } },
      }),
      { userInfo },
    );

    await expect(
      shortRefPolicy.handle(
        { permission: opsIncidentWritePermission },
        userFor(ADMIN),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('has no admins when no admin group is configured', async () => {
    const noAdminsPolicy = OpsDeckPermissionPolicy.fromConfig(
      mockServices.rootConfig({ data: {} }),
      { userInfo },
    );

    await expect(
      noAdminsPolicy.handle(
        { permission: opsIncidentWritePermission },
        userFor(ADMIN),
      ),
    ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
  });

  it('rejects an admin group that is not a group', () => {
    expect(() =>
      OpsDeckPermissionPolicy.fromConfig(
        mockServices.rootConfig({
          data: {
            ops: { permissions: { adminGroups: ['user:default/grace.kim'] } },
          },
        }),
        { userInfo },
      ),
    ).toThrow(/must be a group entity ref/);
  });
});
