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
 * That a caller can read an entity is remembered, since a page of cards asks
 * for the same entity many times and the catalog round trip would otherwise
 * dominate every read:
 * - for `readCacheTtlMs` the remembered answer is used as it is;
 * - for as long again it is still used, while one request in the background
 *   asks the catalog again (stale-while-revalidate), so that no reader waits
 *   for the catalog when an answer expires under load;
 * - after that, and for an entity not remembered, the reader waits for the
 *   catalog, and concurrent readers of the same entity share one request.
 *
 * A lost read access is therefore noticed within twice `readCacheTtlMs`. A
 * refusal is never remembered, so a new entity shows at once.
 */
export class EntityAccess {
  readonly #readable = new Map<string, { entity: Entity; fetchedAt: number }>();
  readonly #inFlight = new Map<string, Promise<Entity>>();

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
    const ttl = this.options.readCacheTtlMs;
    const principal = principalKey(credentials);
    if (!principal || ttl <= 0) {
      return this.#fetch(entityRef, credentials);
    }
    const key = `${principal}|${entityRef}`;
    const cached = this.#readable.get(key);
    const age = cached ? Date.now() - cached.fetchedAt : Infinity;
    if (cached && age < ttl) {
      return cached.entity;
    }
    if (cached && age < 2 * ttl) {
      // The refresh's outcome lands in the cache; its failure only means the
      // entry expires at twice the TTL, when a reader waits for the catalog.
      this.#refresh(key, entityRef, credentials).catch(() => {});
      return cached.entity;
    }
    return this.#refresh(key, entityRef, credentials);
  }

  /** Asks the catalog once per key at a time and remembers the answer. */
  #refresh(
    key: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const pending = this.#inFlight.get(key);
    if (pending) {
      return pending;
    }
    const request = this.#fetch(entityRef, credentials)
      .then(
        entity => {
          this.#remember(key, entity);
          return entity;
        },
        error => {
          if (error instanceof NotFoundError) {
            this.#readable.delete(key);
          }
          throw error;
        },
      )
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, request);
    return request;
  }

  async #fetch(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity found for ref '${entityRef}'`);
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
    this.#readable.set(key, { entity, fetchedAt: Date.now() });
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
