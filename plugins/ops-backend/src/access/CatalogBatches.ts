import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import DataLoader from 'dataloader';

/** The most entity refs asked for in one catalog request. */
export const MAX_BATCH_SIZE = 100;

interface BatchKey {
  entityRef: string;
  credentials: BackstageCredentials;
}

/**
 * Asks the catalog for entities in batches, and for each caller one batch at
 * a time: the entities a caller needs go in one `getEntitiesByRefs` request,
 * sent once the event loop has handled its current round of I/O, or, while
 * the caller's previous batch is still with the catalog, once that one
 * answers. A first read on a quiet backend therefore waits for one catalog
 * request; under load, when many answers have expired or many entities are
 * read for the first time (a bench's 1,000 services at 300 reads a second),
 * the batches grow with the catalog's answer time instead of the catalog
 * being asked 100 times a second, each request queueing behind the very
 * requests waiting for it.
 */
export class CatalogBatches {
  readonly #catalog: CatalogService;
  /** The batch being collected, per caller. */
  readonly #batches = new Map<string, DataLoader<BatchKey, Entity>>();
  /**
   * Per caller with requests at the catalog: how many, and the sends of the
   * batches held until they have been answered.
   */
  readonly #atCatalog = new Map<
    string,
    { requests: number; held: Array<() => void> }
  >();

  constructor(catalog: CatalogService) {
    this.#catalog = catalog;
  }

  /**
   * Adds the entity to the caller's batch, sent once the event loop has
   * handled the current round of I/O (setImmediate), so that the requests
   * read from the sockets in that round share one catalog request, and not
   * before the caller's previous batch has been answered.
   */
  load(
    principal: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    // The same normalisation and the same error for a malformed ref as
    // getEntityByRef, before anything is batched.
    const normalized = stringifyEntityRef(parseEntityRef(entityRef));
    const existing = this.#batches.get(principal);
    if (existing) {
      return existing.load({ entityRef: normalized, credentials });
    }
    const batch: DataLoader<BatchKey, Entity> = new DataLoader<
      BatchKey,
      Entity
    >(keys => this.#fetchMany(principal, keys), {
      cache: false,
      maxBatchSize: MAX_BATCH_SIZE,
      batchScheduleFn: send =>
        setImmediate(() => {
          const atCatalog = this.#atCatalog.get(principal);
          if (atCatalog) {
            // Held, and loads meanwhile join it, until the catalog answers.
            atCatalog.held.push(send);
            return;
          }
          // Loads from now on start the next batch; the map never holds
          // more than the callers with a batch being collected.
          if (this.#batches.get(principal) === batch) {
            this.#batches.delete(principal);
          }
          send();
        }),
    });
    this.#batches.set(principal, batch);
    return batch.load({ entityRef: normalized, credentials });
  }

  async #fetchMany(
    principal: string,
    keys: readonly BatchKey[],
  ): Promise<Array<Entity | NotFoundError>> {
    // Every key of a batch is the same caller's; the newest credentials are
    // the least likely to have expired.
    const { credentials } = keys[keys.length - 1];
    // DataLoader calls this synchronously from the batch's send, so the
    // count is up before anything else is scheduled.
    const atCatalog = this.#atCatalog.get(principal) ?? {
      requests: 0,
      held: [],
    };
    atCatalog.requests += 1;
    this.#atCatalog.set(principal, atCatalog);
    let items: Array<Entity | undefined>;
    try {
      ({ items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: keys.map(key => key.entityRef) },
        { credentials },
      ));
    } finally {
      this.#answered(principal);
    }
    return keys.map(
      (key, index) =>
        items[index] ??
        new NotFoundError(`No entity found for ref '${key.entityRef}'`),
    );
  }

  /**
   * One of the caller's requests has been answered: once all have been, the
   * batches collected meanwhile are sent.
   */
  #answered(principal: string) {
    const atCatalog = this.#atCatalog.get(principal)!;
    atCatalog.requests -= 1;
    if (atCatalog.requests > 0) return;
    this.#atCatalog.delete(principal);
    if (atCatalog.held.length > 0) {
      this.#batches.delete(principal);
      atCatalog.held.forEach(send => send());
    }
  }
}
