import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ActionItem,
  ActionItemFilter,
  Postmortem,
} from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../database/errors';
import { applyMigrations } from '../database/migrations';
import { toDbTime, toOptionalDbTime } from '../database/time';
import {
  ActionItemRow,
  PostmortemRow,
  rowToActionItem,
  rowToPostmortem,
  utcDay,
} from './postmortemRows';
import {
  ActionItemChanges,
  NewActionItem,
  NewPostmortem,
  PostmortemChanges,
  PostmortemQuery,
  PostmortemStore,
} from './PostmortemStore';

const POSTMORTEMS = 'ops_postmortems';
const ACTION_ITEMS = 'ops_action_items';

/** Post-mortems and action items on the plugin's database. */
export class DatabasePostmortemStore implements PostmortemStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabasePostmortemStore> {
    return new DatabasePostmortemStore(await applyMigrations(database));
  }

  /** `now` is the clock of the overdue flags (tests pin it). */
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createPostmortem(
    fields: NewPostmortem,
    actor: string,
  ): Promise<Postmortem> {
    const id = randomUUID();
    const now = new Date();
    try {
      await this.db<PostmortemRow>(POSTMORTEMS).insert({
        id,
        incident_id: fields.incidentId,
        entity_ref: fields.entityRef,
        severity: fields.severity,
        status: 'draft',
        title: fields.title,
        body: fields.body,
        version: 1,
        authors: JSON.stringify(fields.authors),
        reviewers: JSON.stringify([]),
        due_at: toOptionalDbTime(fields.dueAt, 'dueAt'),
        created_by: actor,
        created_at: now,
        updated_by: actor,
        updated_at: now,
        published_by: null,
        published_at: null,
      });
    } catch (error) {
      // The unique index on incident_id decides between concurrent starts.
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Incident '${fields.incidentId}' has a post-mortem already`,
        );
      }
      throw error;
    }
    return (await this.getPostmortem(id))!;
  }

  async getPostmortem(id: string): Promise<Postmortem | undefined> {
    const row = await this.db<PostmortemRow>(POSTMORTEMS).where({ id }).first();
    return row && rowToPostmortem(row, this.now());
  }

  async getPostmortemOfIncident(
    incidentId: string,
  ): Promise<Postmortem | undefined> {
    const row = await this.db<PostmortemRow>(POSTMORTEMS)
      .where({ incident_id: incidentId })
      .first();
    return row && rowToPostmortem(row, this.now());
  }

  async listPostmortems(
    query: PostmortemQuery,
    limit: number,
  ): Promise<Postmortem[]> {
    const rows: PostmortemRow[] = await this.db<PostmortemRow>(POSTMORTEMS)
      .modify(q => {
        if (query.entityRef) q.where('entity_ref', query.entityRef);
        if (query.status) q.where('status', query.status);
        if (query.overdueAt) {
          q.whereNot('status', 'published')
            .whereNotNull('due_at')
            .where('due_at', '<', query.overdueAt);
        }
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    const now = this.now();
    return rows.map(row => rowToPostmortem(row, now));
  }

  async updatePostmortem(
    id: string,
    changes: PostmortemChanges,
    options: { expectedVersion: number; actor: string },
  ): Promise<Postmortem> {
    const columns: Partial<Record<keyof PostmortemRow, unknown>> = {};
    if (changes.title !== undefined) columns.title = changes.title;
    if (changes.body !== undefined) columns.body = changes.body;
    if (changes.authors) columns.authors = JSON.stringify(changes.authors);
    if (changes.reviewers) {
      columns.reviewers = JSON.stringify(changes.reviewers);
    }
    if (changes.status) columns.status = changes.status;
    if (changes.published) {
      columns.published_by = changes.published.by;
      columns.published_at = toDbTime(changes.published.at, 'publishedAt');
    }
    await this.#updateVersioned(
      POSTMORTEMS,
      'Post-mortem',
      id,
      columns,
      options,
    );
    return (await this.getPostmortem(id))!;
  }

  async createActionItem(
    fields: NewActionItem,
    actor: string,
  ): Promise<ActionItem> {
    const id = randomUUID();
    const now = new Date();
    await this.db<ActionItemRow>(ACTION_ITEMS).insert({
      id,
      postmortem_id: fields.postmortemId,
      entity_ref: fields.entityRef,
      title: fields.title,
      owner_ref: fields.ownerRef,
      due_date: fields.dueDate,
      status: 'open',
      link: fields.link ?? null,
      version: 1,
      created_by: actor,
      created_at: now,
      updated_by: actor,
      updated_at: now,
      completed_at: null,
    });
    return (await this.getActionItem(id))!;
  }

  async getActionItem(id: string): Promise<ActionItem | undefined> {
    const row = await this.#actionItems().where('a.id', id).first();
    return row && rowToActionItem(row, this.now());
  }

  async listActionItems(
    filter: ActionItemFilter & { openDueBefore?: string },
    limit: number,
  ): Promise<ActionItem[]> {
    const now = this.now();
    const rows: Array<ActionItemRow & { incident_id: string }> =
      await this.#actionItems()
        .modify(q => {
          if (filter.entityRef) q.where('a.entity_ref', filter.entityRef);
          if (filter.postmortemId)
            q.where('a.postmortem_id', filter.postmortemId);
          if (filter.status) q.where('a.status', filter.status);
          if (filter.openDueBefore) {
            q.where('a.status', 'open').where(
              'a.due_date',
              '<',
              filter.openDueBefore,
            );
          }
        })
        // Overdue first (open and due before today), then by due date.
        .orderByRaw(
          `CASE WHEN a.status = 'open' AND a.due_date < ? THEN 0 ELSE 1 END, a.due_date, a.id`,
          [utcDay(now)],
        )
        .limit(limit);
    return rows.map(row => rowToActionItem(row, now));
  }

  async countActionItems(postmortemId: string): Promise<number> {
    const [{ count }] = await this.db(ACTION_ITEMS)
      .where({ postmortem_id: postmortemId })
      .count({ count: '*' });
    return Number(count);
  }

  async updateActionItem(
    id: string,
    changes: ActionItemChanges,
    options: { expectedVersion: number; actor: string },
  ): Promise<ActionItem> {
    const columns: Partial<Record<keyof ActionItemRow, unknown>> = {};
    if (changes.title !== undefined) columns.title = changes.title;
    if (changes.ownerRef !== undefined) columns.owner_ref = changes.ownerRef;
    if (changes.dueDate !== undefined) columns.due_date = changes.dueDate;
    if (changes.link !== undefined) columns.link = changes.link;
    if (changes.status !== undefined) columns.status = changes.status;
    if (changes.completedAt !== undefined) {
      columns.completed_at =
        changes.completedAt === null
          ? null
          : toDbTime(changes.completedAt, 'completedAt');
    }
    await this.#updateVersioned(
      ACTION_ITEMS,
      'Action item',
      id,
      columns,
      options,
    );
    return (await this.getActionItem(id))!;
  }

  #actionItems() {
    return this.db<ActionItemRow & { incident_id: string }>({
      a: ACTION_ITEMS,
    })
      .join({ p: POSTMORTEMS }, 'p.id', 'a.postmortem_id')
      .select('a.*', 'p.incident_id');
  }

  /**
   * One conditional UPDATE: it applies only while the row has the version the
   * change was based on. On PostgreSQL a concurrent writer waits for the
   * first one's row lock and then re-checks the condition against the
   * committed row, so of N writers with one version exactly one wins. The
   * read after a refusal only words the error.
   */
  async #updateVersioned(
    table: string,
    noun: string,
    id: string,
    columns: Record<string, unknown>,
    options: { expectedVersion: number; actor: string },
  ): Promise<void> {
    const updated = await this.db(table)
      .where({ id, version: options.expectedVersion })
      .update({
        ...columns,
        version: this.db.raw('version + 1'),
        updated_by: options.actor,
        updated_at: new Date(),
      });
    if (updated === 0) {
      const current = await this.db(table).where({ id }).first('version');
      if (!current) {
        throw new NotFoundError(`${noun} '${id}' not found`);
      }
      throw new ConflictError(
        `${noun} '${id}' has version ${current.version}, not ${options.expectedVersion}; read it again and retry`,
      );
    }
  }
}
