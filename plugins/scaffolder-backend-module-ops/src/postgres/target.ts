import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  DATABASES_CONFIG_KEY,
  databaseTargetsOf,
  OPSDECK_ANNOTATIONS,
  databaseBindingRefusal,
} from '@opsdeck/plugin-ops-common';
import { authorizeOperation } from '../catalog/authorizeOperation';
import { readableEntity } from '../catalog/readableEntity';
import { listDatabaseTargetNames } from './config';
import { DrillTarget, findDrillTarget } from '../targets';

/**
 * The target a user may drill: named by the entity's annotation, configured
 * by an admin AND bound by the admin to the entity (or its owner). Anything
 * else is refused, so a template user can never point the drill at a server
 * of their choosing, nor at another team's target by naming it.
 */
export function resolveDrillTarget(options: {
  entity: Entity;
  target: string;
  config: Config;
}): DrillTarget {
  const { entity, target, config } = options;
  const entityRef = stringifyEntityRef(entity);
  const named = databaseTargetsOf(entity);
  if (!named.includes(target)) {
    throw new InputError(
      named.length === 0
        ? `${entityRef} names no database targets; add the annotation ${OPSDECK_ANNOTATIONS.databases} with the name of a target configured under ${DATABASES_CONFIG_KEY}`
        : `'${target}' is not a database target of ${entityRef}; its ${
            OPSDECK_ANNOTATIONS.databases
          } annotation names ${named.join(', ')}`,
    );
  }
  const resolved = findDrillTarget(config, target);
  if (!resolved) {
    const configured = listDatabaseTargetNames(config);
    throw new InputError(
      `The database target '${target}' of ${entityRef} is not configured: ask an admin to add ${DATABASES_CONFIG_KEY}.${target} to the app-config (${
        configured.length
          ? `configured targets: ${configured.join(', ')}`
          : 'no targets are configured'
      })`,
    );
  }
  const refusal = databaseBindingRefusal(entity, target, resolved.binding);
  if (refusal) {
    throw new NotAllowedError(refusal);
  }
  return resolved;
}

/**
 * Reads the entity with the user's own credentials (the catalog answers with
 * their permissions), checks that they may run the operation on it (see
 * {@link authorizeOperation}) and resolves the target it may run against.
 * Nothing here connects to the target.
 */
export async function resolveEntityTarget(options: {
  catalog: CatalogService;
  config: Config;
  permissions: PermissionsService;
  entityRef: string;
  target: string;
  credentials: BackstageCredentials;
  /** For the refusal: `fail over`, `drill the backup of`. */
  operation: string;
  /** What the operation records: its drill, its incident. */
  writes: ResourcePermission<'catalog-entity'>[];
}): Promise<{ entityRef: string; target: DrillTarget }> {
  const entity = await readableEntity(
    options.catalog,
    options.entityRef,
    options.credentials,
  );
  const entityRef = stringifyEntityRef(entity);
  await authorizeOperation({
    permissions: options.permissions,
    entityRef,
    credentials: options.credentials,
    operation: `${options.operation} ${options.target} for ${entityRef}`,
    writes: options.writes,
  });
  return {
    entityRef,
    target: resolveDrillTarget({
      entity,
      target: options.target,
      config: options.config,
    }),
  };
}
