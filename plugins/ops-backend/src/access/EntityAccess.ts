import {
  BackstageCredentials,
  CacheService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ReadThroughCache } from '../shared/ReadThroughCache';
import { CatalogBatches, MAX_BATCH_SIZE } from './CatalogBatches';

interface RememberedEntity {
  entity: Entity;
  fetchedAt: number;
  /** Whom it was read for, and as which ref (the cache key is both). */
  principal: string;
  entityRef: string;
  /** When the caller last read it: answers still in use are refreshed ahead. */
  readAt: number;
}

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
 *
 * The catalog is asked in batches per caller (see CatalogBatches).
 *
 * A refresh in the background also takes along the caller's other answers
 * past half their time to live that it read within the last two
 * (refresh-ahead), in the same batch: a caller reading many entities (a
 * portal's cards, the bench's 1,000 services) otherwise sends one catalog
 * request per entity and time to live, 120 a second behind 300 reads a second
 * of 1,000 entities, and waits for the catalog whenever an answer has
 * expired. Answers the caller no longer reads are left to expire.
 */
export class EntityAccess {
  readonly #readable = new Map<string, RememberedEntity>();
  readonly #inFlight = new Map<string, Promise<Entity>>();
  /** A group's entities the caller can read, per caller and group. */
  readonly #owned: ReadThroughCache;
  /** The catalog's answers, asked for in batches per caller. */
  readonly #batches: CatalogBatches;

  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly options: { readCacheTtlMs: number; maxEntries?: number };

  constructor(deps: {
    catalog: CatalogService;
    permissions: PermissionsService;
    /** Where a group's entities are kept (ownedEntityRefs); nothing is kept without one. */
    cache?: CacheService;
    /** How long a read decision is reused; 5 seconds unless given. */
    readCacheTtlMs?: number;
    /** Decisions remembered at most; 10,000 unless given. */
    maxEntries?: number;
  }) {
    this.catalog = deps.catalog;
    this.permissions = deps.permissions;
    this.#owned = new ReadThroughCache(deps.cache);
    this.#batches = new CatalogBatches(deps.catalog);
    this.options = {
      readCacheTtlMs: deps.readCacheTtlMs ?? 5000,
      maxEntries: deps.maxEntries,
    };
  }

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
    if (cached) {
      cached.readAt = Date.now();
    }
    if (cached && age < ttl) {
      return cached.entity;
    }
    if (cached && age < 2 * ttl) {
      // The refresh's outcome lands in the cache; its failure only means the
      // entry expires at twice the TTL, when a reader waits for the catalog.
      this.#refresh(principal, key, entityRef, credentials).catch(() => {});
      this.#refreshAhead(principal, credentials);
      return cached.entity;
    }
    const answer = this.#refresh(principal, key, entityRef, credentials);
    if (cached) {
      this.#refreshAhead(principal, credentials, { andExpired: true });
    }
    return answer;
  }

  /**
   * Refreshes, in the batch being collected, the caller's answers past half
   * their time to live that it read within the last two. In a simulation of
   * 300 reads a second of 1,000 entities for 120 s (the real class, a mock
   * catalog): 16 catalog requests a second instead of 122, and 1,108 of the
   * 36,000 reads waited for the catalog instead of 3,847 (1,000 are first reads).
   *
   * A caller that comes back after its answers have expired (a portal page
   * opened again, a bench's next phase) waits for the catalog on its first
   * read; that request also takes along up to a batch of its other expired
   * answers, which it will most likely read again. Otherwise each of them
   * would be one more catalog request, all of them within its first seconds:
   * 1,000 services read again at 300 reads a second were 80-110 catalog
   * requests a second, and the reads that waited for them were the list's
   * slowest 1 % (yarn bench:records, PostgreSQL).
   */
  #refreshAhead(
    principal: string,
    credentials: BackstageCredentials,
    options?: { andExpired: boolean },
  ) {
    const ttl = this.options.readCacheTtlMs;
    const now = Date.now();
    let expired = options?.andExpired ? MAX_BATCH_SIZE - 1 : 0;
    for (const [key, remembered] of this.#readable) {
      if (remembered.principal !== principal || this.#inFlight.has(key)) {
        continue;
      }
      const inUse =
        remembered.fetchedAt <= now - ttl / 2 &&
        remembered.readAt > now - 2 * ttl;
      const takenAlong =
        !inUse && expired > 0 && remembered.fetchedAt <= now - 2 * ttl;
      if (takenAlong) {
        expired -= 1;
      }
      if (inUse || takenAlong) {
        this.#refresh(principal, key, remembered.entityRef, credentials).catch(
          () => {},
        );
      }
    }
  }

  /** Asks the catalog once per key at a time and remembers the answer. */
  #refresh(
    principal: string,
    key: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const pending = this.#inFlight.get(key);
    if (pending) {
      return pending;
    }
    const request = this.#batches
      .load(principal, entityRef, credentials)
      .then(
        entity => {
          this.#remember(key, { principal, entityRef, entity });
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

  #remember(
    key: string,
    fetched: { principal: string; entityRef: string; entity: Entity },
  ) {
    const maxEntries = this.options.maxEntries ?? 10_000;
    const now = Date.now();
    // A refresh is no read: answers refreshed ahead still expire once unread.
    const readAt = this.#readable.get(key)?.readAt ?? now;
    this.#readable.delete(key);
    if (this.#readable.size >= maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      this.#readable.delete(this.#readable.keys().next().value!);
    }
    this.#readable.set(key, { ...fetched, fetchedAt: now, readAt });
  }

  /**
   * Refs of the entities the group owns that the caller can read (the
   * catalog leaves out the others); NotFoundError when the group itself is
   * not readable. Kept in the plugin's cache per caller and group for
   * `readCacheTtlMs`, as a read decision is: a team's figures need the list
   * on every read, and a service added to the team or no longer readable
   * shows within that time.
   */
  async ownedEntityRefs(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const group = stringifyEntityRef(
      await this.readableEntity(groupRef, credentials),
    );
    const principal = principalKey(credentials);
    const ttl = this.options.readCacheTtlMs;
    const load = async () => {
      const { items } = await this.catalog.getEntities(
        {
          filter: { 'relations.ownedBy': group },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      return items.map(entity => stringifyEntityRef(entity));
    };
    if (!principal) {
      return load();
    }
    // Concurrent readers share the pending request; a failed one is not kept.
    return this.#owned.get(`owned-entities|${principal}|${group}`, load, ttl);
  }

  /**
   * The entities among `entityRefs` the caller can read, by the ref asked
   * for; the others (not in the catalog, not readable, or not a valid ref)
   * are left out. Each is a read decision as readableEntity's, remembered
   * and batched: a card that shows the same team and people on every read
   * asks the catalog nothing while they are remembered.
   */
  async readableEntities(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, Entity>> {
    const valid = [...new Set(entityRefs)].filter(ref => {
      try {
        parseEntityRef(ref);
        return true;
      } catch {
        return false;
      }
    });
    const found = await Promise.all(
      valid.map(async ref => {
        try {
          return [ref, await this.readableEntity(ref, credentials)] as const;
        } catch (error) {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }
      }),
    );
    return new Map(found.filter(entry => entry !== undefined));
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
