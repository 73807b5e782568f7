import { RecordPage } from '@opsdeck/plugin-ops-common';
import { pageLimit } from '../database/paging';

/**
 * A page of the records the caller may read, across entities. The store pages
 * every record; the caller may read only some of them. Pages are read until
 * `limit` readable records are found or the store is exhausted, so a page is
 * short only when it is the last one, and `nextCursor` is set only when at
 * least one more readable record exists (it points after the last returned
 * record).
 */
export async function readablePage<
  T extends { id: string; entityRef: string },
>(options: {
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
