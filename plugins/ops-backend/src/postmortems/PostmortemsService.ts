import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionItem,
  ActionItemFilter,
  addBusinessDays,
  ChangePostmortemStatusRequest,
  CreateActionItemRequest,
  Incident,
  opsIncidentWritePermission,
  Postmortem,
  POSTMORTEM_INCIDENT_STATUSES,
  POSTMORTEM_LIMITS,
  POSTMORTEM_TRANSITIONS,
  PostmortemFilter,
  RECORD_LIMITS,
  UpdateActionItemRequest,
  UpdatePostmortemRequest,
} from '@opsdeck/plugin-ops-common';
import { actorOf } from '../access/actor';
import { EntityAccess } from '../access/EntityAccess';
import { readableRecord } from '../access/readablePage';
import { OpsEvents } from '../events/OpsEvents';
import { draftPostmortem } from './draftPostmortem';
import { postmortemMarkdown } from './markdownExport';
import { PostmortemFacts } from './PostmortemFacts';
import { PostmortemStore } from './PostmortemStore';

export interface PostmortemsOptions {
  /** Business days to publish the post-mortem of a severity in `dueSeverities`. */
  dueBusinessDays: number;
  /** The severities whose post-mortem has a due date (SEV1 and SEV2). */
  dueSeverities: string[];
}

/** YYYY-MM-DD that is a day of the calendar (2027-02-30 is not). */
function checkCalendarDay(value: string, field: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match && new Date(`${value}T00:00:00Z`);
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  ) {
    throw new InputError(
      `Invalid ${field} '${value}': expected a day as YYYY-MM-DD`,
    );
  }
}

/**
 * Post-mortems and their action items: the rules, on top of the store. Reads
 * follow the catalog like the incident's (an unreadable entity is a 404);
 * writes need the incident write permission on the entity (the ownership
 * rule of IncidentsService).
 */
export class PostmortemsService {
  constructor(
    private readonly deps: {
      store: PostmortemStore;
      access: EntityAccess;
      catalog: Pick<CatalogService, 'getEntityByRef'>;
      /** The incident as its reader may see it (IncidentsService.get). */
      incidents: {
        get(id: string, credentials: BackstageCredentials): Promise<Incident>;
      };
      /** The facts the draft is written from. */
      facts: (
        incident: Incident,
        credentials: BackstageCredentials,
      ) => Promise<PostmortemFacts>;
      options: PostmortemsOptions;
      events: OpsEvents;
    },
  ) {}

  async create(
    incidentId: string,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const { store, access, options } = this.deps;
    const incident = await this.deps.incidents.get(incidentId, credentials);
    await access.authorizeWrite(
      incident.entityRef,
      opsIncidentWritePermission,
      credentials,
    );
    if (
      !(POSTMORTEM_INCIDENT_STATUSES as readonly string[]).includes(
        incident.status,
      )
    ) {
      throw new ConflictError(
        `Incident '${incidentId}' is ${incident.status}: a post-mortem starts from a mitigated or resolved incident`,
      );
    }
    const existing = await store.getPostmortemOfIncident(incidentId);
    if (existing) {
      throw new ConflictError(
        `Incident '${incidentId}' has a post-mortem already: ${existing.id}`,
      );
    }
    const facts = await this.deps.facts(incident, credentials);
    const actor = actorOf(credentials);
    const endedAt = incident.resolvedAt ?? incident.mitigatedAt!;
    const postmortem = await store.createPostmortem(
      {
        incidentId,
        entityRef: incident.entityRef,
        severity: incident.severity,
        title: incident.title,
        body: draftPostmortem(facts),
        authors: actor.startsWith('user:') ? [actor] : [],
        dueAt: options.dueSeverities.includes(incident.severity)
          ? addBusinessDays(
              new Date(endedAt),
              options.dueBusinessDays,
            ).toISOString()
          : undefined,
      },
      actor,
    );
    this.deps.events.emit({ type: 'postmortem.created', postmortem, actor });
    return postmortem;
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    return readableRecord(
      await this.deps.store.getPostmortem(id),
      `No post-mortem with id '${id}'`,
      this.deps.access,
      credentials,
    );
  }

  async getOfIncident(
    incidentId: string,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    await this.deps.incidents.get(incidentId, credentials);
    return readableRecord(
      await this.deps.store.getPostmortemOfIncident(incidentId),
      `Incident '${incidentId}' has no post-mortem`,
      this.deps.access,
      credentials,
    );
  }

  async list(
    filter: PostmortemFilter,
    credentials: BackstageCredentials,
  ): Promise<{ items: Postmortem[] }> {
    const entityRef = await this.#readableRef(filter.entityRef, credentials);
    const items = await this.deps.store.listPostmortems(
      {
        entityRef,
        status: filter.status,
        overdueAt: filter.overdue ? new Date() : undefined,
      },
      RECORD_LIMITS.maxPageSize,
    );
    const visible = await this.#readable(items, entityRef, credentials);
    return {
      items:
        filter.overdue === false ? visible.filter(p => !p.overdue) : visible,
    };
  }

  async update(
    id: string,
    request: UpdatePostmortemRequest,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const current = await this.#writable(id, credentials);
    if (current.status === 'published') {
      throw new ConflictError(
        `Post-mortem '${id}' is published: record what was learned since as an action item`,
      );
    }
    const { version, ...changes } = request;
    const actor = actorOf(credentials);
    const postmortem = await this.deps.store.updatePostmortem(id, changes, {
      expectedVersion: version,
      actor,
    });
    this.deps.events.emit({
      type: 'postmortem.changed',
      postmortem,
      previous: current,
      actor,
    });
    return postmortem;
  }

  async changeStatus(
    id: string,
    request: ChangePostmortemStatusRequest,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const current = await this.#writable(id, credentials);
    if (!POSTMORTEM_TRANSITIONS[current.status].includes(request.status)) {
      const allowed = POSTMORTEM_TRANSITIONS[current.status];
      throw new ConflictError(
        `Cannot move post-mortem '${id}' from ${current.status} to ${
          request.status
        }: from ${current.status} it can go to ${
          allowed.length ? allowed.join(' or ') : 'nothing (it is final)'
        }`,
      );
    }
    const actor = actorOf(credentials);
    const postmortem = await this.deps.store.updatePostmortem(
      id,
      {
        status: request.status,
        published:
          request.status === 'published'
            ? { by: actor, at: new Date().toISOString() }
            : undefined,
      },
      { expectedVersion: request.version, actor },
    );
    this.deps.events.emit({
      type: 'postmortem.changed',
      postmortem,
      previous: current,
      actor,
    });
    return postmortem;
  }

  async exportMarkdown(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<{ postmortem: Postmortem; markdown: string }> {
    const postmortem = await this.get(id, credentials);
    const { items } = await this.listActionItems(
      { postmortemId: id },
      credentials,
    );
    return { postmortem, markdown: postmortemMarkdown(postmortem, items) };
  }

  async addActionItem(
    postmortemId: string,
    request: CreateActionItemRequest,
    credentials: BackstageCredentials,
  ): Promise<ActionItem> {
    const postmortem = await this.#writable(postmortemId, credentials);
    checkCalendarDay(request.dueDate, 'dueDate');
    const ownerRef = await this.#owner(request.ownerRef, credentials);
    const count = await this.deps.store.countActionItems(postmortemId);
    if (count >= POSTMORTEM_LIMITS.actionItems) {
      throw new InputError(
        `Post-mortem '${postmortemId}' has ${count} action items, the most it may have`,
      );
    }
    const actor = actorOf(credentials);
    const actionItem = await this.deps.store.createActionItem(
      {
        postmortemId,
        entityRef: postmortem.entityRef,
        title: request.title,
        ownerRef,
        dueDate: request.dueDate,
        link: request.link,
      },
      actor,
    );
    this.deps.events.emit({
      type: 'action-item.changed',
      actionItem,
      created: true,
      actor,
    });
    return actionItem;
  }

  async listActionItems(
    filter: ActionItemFilter,
    credentials: BackstageCredentials,
  ): Promise<{ items: ActionItem[] }> {
    const entityRef = await this.#readableRef(filter.entityRef, credentials);
    const items = await this.deps.store.listActionItems(
      { ...filter, entityRef },
      RECORD_LIMITS.maxPageSize,
    );
    return { items: await this.#readable(items, entityRef, credentials) };
  }

  async updateActionItem(
    id: string,
    request: UpdateActionItemRequest,
    credentials: BackstageCredentials,
  ): Promise<ActionItem> {
    const { version, ...changes } = request;
    if (Object.keys(changes).length === 0) {
      throw new InputError(
        'Nothing to change: give at least one field besides version',
      );
    }
    if (changes.dueDate !== undefined) {
      checkCalendarDay(changes.dueDate, 'dueDate');
    }
    const current = await readableRecord(
      await this.deps.store.getActionItem(id),
      `No action item with id '${id}'`,
      this.deps.access,
      credentials,
    );
    await this.deps.access.authorizeWrite(
      current.entityRef,
      opsIncidentWritePermission,
      credentials,
    );
    const ownerRef =
      changes.ownerRef === undefined
        ? undefined
        : await this.#owner(changes.ownerRef, credentials);
    let completedAt: string | null | undefined;
    if (changes.status !== undefined && changes.status !== current.status) {
      completedAt = changes.status === 'done' ? new Date().toISOString() : null;
    }
    const actor = actorOf(credentials);
    const actionItem = await this.deps.store.updateActionItem(
      id,
      { ...changes, ownerRef, completedAt },
      { expectedVersion: version, actor },
    );
    this.deps.events.emit({
      type: 'action-item.changed',
      actionItem,
      created: false,
      actor,
    });
    return actionItem;
  }

  /** The post-mortem, when the caller may read it and change its entity's records. */
  async #writable(id: string, credentials: BackstageCredentials) {
    const postmortem = await this.get(id, credentials);
    await this.deps.access.authorizeWrite(
      postmortem.entityRef,
      opsIncidentWritePermission,
      credentials,
    );
    return postmortem;
  }

  /** The owner of an action item: a user or group the catalog knows. */
  async #owner(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    const kind = parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
    if (!entity || !['user', 'group'].includes(kind)) {
      throw new InputError(
        `Invalid ownerRef '${ref}': no user or group of that name in the catalog`,
      );
    }
    return stringifyEntityRef(entity);
  }

  async #readableRef(
    entityRef: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    if (entityRef === undefined) return undefined;
    return stringifyEntityRef(
      await this.deps.access.readableEntity(entityRef, credentials),
    );
  }

  /** The records of entities the caller may read (all of one readable entity). */
  async #readable<T extends { entityRef: string }>(
    items: T[],
    entityRef: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    if (entityRef !== undefined) return items;
    const refs = await this.deps.access.readableRefs(
      [...new Set(items.map(i => i.entityRef))],
      credentials,
    );
    return items.filter(i => refs.has(i.entityRef));
  }
}
