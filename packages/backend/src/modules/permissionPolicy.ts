import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { isOpsPermission } from '@opsdeck/plugin-ops-common';

const ADMIN_GROUPS_CONFIG_KEY = 'ops.permissions.adminGroups';

/**
 * The permission policy of the OpsDeck backend.
 *
 * Every permission that is not OpsDeck's is allowed, as in the default app.
 * OpsDeck's permissions act on the production systems of one catalog entity,
 * so they are allowed to the members of the admin groups on every entity, to
 * any other user only on the entities they own, and never to a request
 * without a user.
 */
export class OpsDeckPermissionPolicy implements PermissionPolicy {
  static fromConfig(
    config: Config,
    options: { userInfo: UserInfoService },
  ): OpsDeckPermissionPolicy {
    const adminGroups = (
      config.getOptionalStringArray(ADMIN_GROUPS_CONFIG_KEY) ?? []
    ).map(ref => {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
        throw new Error(
          `Invalid ${ADMIN_GROUPS_CONFIG_KEY} entry '${ref}': it must be a group entity ref, like group:default/platform-admins`,
        );
      }
      return stringifyEntityRef(parsed);
    });
    return new OpsDeckPermissionPolicy(adminGroups, options.userInfo);
  }

  private readonly adminGroups: Set<string>;

  private constructor(
    adminGroups: string[],
    private readonly userInfo: UserInfoService,
  ) {
    this.adminGroups = new Set(adminGroups);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isOpsPermission(request.permission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }

    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (
      ownershipEntityRefs.some(ref =>
        this.adminGroups.has(ref.toLocaleLowerCase('en-US')),
      )
    ) {
      return { result: AuthorizeResult.ALLOW };
    }

    // Ownership can only be checked on a catalog entity; every OpsDeck
    // permission is one, and a future one that is not stays admin-only.
    if (
      !isResourcePermission(request.permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(
      request.permission,
      catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
    );
  }
}

/**
 * Installs {@link OpsDeckPermissionPolicy} as the policy of the permission
 * backend.
 */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'opsdeck-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          OpsDeckPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});
