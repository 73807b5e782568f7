import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { RecordPage } from '@opsdeck/plugin-ops-common';
import { pageLimit } from '../database/paging';
import { EntityAccess } from './EntityAccess';

type EntityRecord = { id: string; entityRef: string };

/**
 * A page of the records the caller may read, across entities. The store pages
 * every record; the caller may read only some of them. Pages are read until
 * `limit` readable records are found or the store is exhausted, so a page is
 * short only when it is the last one, and `nextCursor` is set only when at
 * least one more readable record exists (it points after the last returned
 * record).
 */
export async function readablePage<T extends EntityRecord>(options: {
  filter: { cursor?: string; limit?: number };
  /** A page of every record after `cursor`, in the store's order. */
  fetch: (cursor: string | undefined, limit: number) => Promise<RecordPage<T>>;
  readableRefs: (entityRefs: string[]) => Promise<Set<string>>;
  /** The store's cursor that continues right after `item`. */
  cursorAfter: (item: T) => string;
}): Promise<RecordPage<T>> {
  const limit = pageLimit(options.filter.limit);
  const items: T[] = [];
  let cursor = options.filter.cursor;
  for (;;) {
    const page = await options.fetch(cursor, limit);
    const readable = await options.readableRefs([
      ...new Set(page.items.map(item => item.entityRef)),
    ]);
    for (const item of page.items) {
      if (!readable.has(item.entityRef)) {
        continue;
      }
      if (items.length === limit) {
        // One readable record beyond the page: there is a next page.
        return { items, nextCursor: options.cursorAfter(items[limit - 1]) };
      }
      items.push(item);
    }
    if (page.nextCursor === undefined) {
      return { items };
    }
    cursor = page.nextCursor;
  }
}

/**
 * Lists records as the caller may see them: those of one entity (a 404 when
 * the caller cannot read it), or across entities a full page of the
 * readable ones ({@link readablePage}).
 */
export async function listReadable<
  T extends EntityRecord,
  F extends { entityRef?: string; cursor?: string; limit?: number },
>(options: {
  access: EntityAccess;
  credentials: BackstageCredentials;
  filter: F;
  list: (filter: F) => Promise<RecordPage<T>>;
  cursorAfter: (item: T) => string;
}): Promise<RecordPage<T>> {
  const { access, credentials, filter, list } = options;
  if (filter.entityRef) {
    const entity = await access.readableEntity(filter.entityRef, credentials);
    return list({ ...filter, entityRef: stringifyEntityRef(entity) });
  }
  return readablePage({
    filter,
    fetch: (cursor, limit) => list({ ...filter, cursor, limit }),
    readableRefs: refs => access.readableRefs(refs, credentials),
    cursorAfter: options.cursorAfter,
  });
}

/**
 * The record when the caller can read its entity; otherwise, as when it does
 * not exist, `NotFoundError` with `notFound`.
 */
export async function readableRecord<T extends EntityRecord>(
  record: T | undefined,
  notFound: string,
  access: EntityAccess,
  credentials: BackstageCredentials,
): Promise<T> {
  if (!record) {
    throw new NotFoundError(notFound);
  }
  try {
    await access.readableEntity(record.entityRef, credentials);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new NotFoundError(notFound);
    }
    throw error;
  }
  return record;
}
