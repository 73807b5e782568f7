import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Who is asking, as a cache key: one user or one service. */
function principalKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return undefined;
}

/**
 * Decides who may see and change the records of an entity.
 *
 * Reads follow the catalog: a record is visible to whoever can read its
 * entity, and an entity the caller cannot read is reported as not found, so
 * record ids never reveal what exists. Writes need an OpsDeck permission on
 * the entity, decided by the permission policy on every write.
 *
 * That a caller can read an entity is remembered for a few seconds
 * (`readCacheTtlMs`), since a page of cards asks for the same entity many
 * times and the catalog round trip would otherwise dominate every read; a
 * refusal is never remembered, so a new entity shows at once.
 */
export class EntityAccess {
  readonly #readable = new Map<string, { entity: Entity; expires: number }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly options: {
      readCacheTtlMs: number;
      maxEntries?: number;
    } = {
      readCacheTtlMs: 5000,
    },
  ) {}

  /** The entity, when the caller can read it; NotFoundError otherwise. */
  async readableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const principal = principalKey(credentials);
    const key = principal && `${principal}|${entityRef}`;
    const cached = key ? this.#readable.get(key) : undefined;
    if (cached && cached.expires > Date.now()) {
      return cached.entity;
    }
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity found for ref '${entityRef}'`);
    }
    if (key && this.options.readCacheTtlMs > 0) {
      this.#remember(key, entity);
    }
    return entity;
  }

  #remember(key: string, entity: Entity) {
    const maxEntries = this.options.maxEntries ?? 10_000;
    this.#readable.delete(key);
    if (this.#readable.size >= maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      this.#readable.delete(this.#readable.keys().next().value!);
    }
    this.#readable.set(key, {
      entity,
      expires: Date.now() + this.options.readCacheTtlMs,
    });
  }

  /** The subset of `entityRefs` the caller can read. */
  async readableRefs(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) {
      return new Set();
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: unique,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return new Set(
      items.flatMap(entity => (entity ? [stringifyEntityRef(entity)] : [])),
    );
  }

  /**
   * Resolves once the caller may use `permission` on the entity: the entity
   * must be readable (NotFoundError) and the policy must allow it
   * (NotAllowedError).
   */
  async authorizeWrite(
    entityRef: string,
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.readableEntity(entityRef, credentials);
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} on ${stringifyEntityRef(
          entity,
        )}; it is reserved to the members of its owning group and OpsDeck admins`,
      );
    }
    return entity;
  }
}
