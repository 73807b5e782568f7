import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DATABASES_CONFIG_KEY } from '../drillSchedule';

/**
 * The entities an admin allowed to use a target OpsDeck acts on (a database
 * target, a Kubernetes workload): named one by one, or by their owner.
 *
 * @public
 */
export interface TargetBinding {
  /** Entity refs, normalized: `component:default/payments-api`. */
  entities: string[];
  /** Refs of owners (an entity's `spec.owner`), normalized: `group:default/payments-team`. */
  owners: string[];
}

/**
 * What {@link readTargetBinding} reads: a `Config` of `@backstage/config`.
 *
 * @public
 */
export interface TargetBindingConfig {
  getOptionalStringArray(key: string): string[] | undefined;
}

function normalizedRefs(
  refs: string[] | undefined,
  key: string,
  defaultKind: string,
): string[] {
  return (refs ?? []).map((ref, index) => {
    try {
      return stringifyEntityRef(
        parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
      ).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new Error(
        `Invalid config value at ${key}[${index}]: '${ref}' is not an entity reference (${error})`,
      );
    }
  });
}

/**
 * Reads `entities` (default kind Component) and `owners` (default kind
 * Group) of a target's config; undefined when neither is set, so the target
 * is bound to no entity.
 *
 * @param key - where the target's config sits, for errors: `ops.databases.payments-db`
 * @public
 */
export function readTargetBinding(
  config: TargetBindingConfig | undefined,
  key: string,
): TargetBinding | undefined {
  const entities = config?.getOptionalStringArray('entities');
  const owners = config?.getOptionalStringArray('owners');
  if (entities === undefined && owners === undefined) {
    return undefined;
  }
  return {
    entities: normalizedRefs(entities, `${key}.entities`, 'component'),
    owners: normalizedRefs(owners, `${key}.owners`, 'group'),
  };
}

/**
 * Why the entity may not use the target, or undefined when its binding names
 * the entity or the entity's owner. A target without a binding is refused:
 * naming a target in one's own annotations never makes it one's own.
 * `target` names what is refused, for the message, e.g.
 * `database target 'payments-db'`; `key` is where its binding belongs,
 * e.g. `ops.databases.payments-db`.
 *
 * @public
 */
export function targetBindingRefusal(options: {
  entity: Entity;
  target: string;
  key: string;
  binding: TargetBinding | undefined;
}): string | undefined {
  const { entity, target, key, binding } = options;
  const entityRef = stringifyEntityRef(entity);
  if (!binding) {
    return `The ${target} is bound to no entity, so ${entityRef} may not use it: an admin must name the entities allowed to use it in ${key}.entities (entity refs) or ${key}.owners (owning groups)`;
  }
  if (binding.entities.includes(entityRef.toLocaleLowerCase('en-US'))) {
    return undefined;
  }
  const owner = entity.spec?.owner;
  let ownerRef: string | undefined;
  if (typeof owner === 'string' && owner) {
    try {
      ownerRef = stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      ownerRef = undefined;
    }
  }
  if (ownerRef && binding.owners.includes(ownerRef)) {
    return undefined;
  }
  return `${entityRef} is not bound to the ${target}: neither it nor its owner${
    ownerRef ? ` ${ownerRef}` : ''
  } is named in ${key}.entities or ${key}.owners`;
}

/**
 * Why the entity may not use the database target (drill it, fail it over,
 * hold its lease), or undefined when `ops.databases.<target>.entities` or
 * `.owners` name it (see {@link targetBindingRefusal}).
 *
 * @public
 */
export function databaseBindingRefusal(
  entity: Entity,
  target: string,
  binding: TargetBinding | undefined,
): string | undefined {
  return targetBindingRefusal({
    entity,
    target: `database target '${target}'`,
    key: `${DATABASES_CONFIG_KEY}.${target}`,
    binding,
  });
}
