import { createHash } from 'node:crypto';
import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  computeDoraMetrics,
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  DeploymentHistoryResponse,
  DoraMetrics,
  opsOperationExecutePermission,
  RECORD_LIMITS,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { DeploymentHistorySource } from '@opsdeck/plugin-ops-node';
import { DeploymentStore } from './DeploymentStore';
import { actorOf } from '../access/actor';
import { EntityAccess } from '../access/EntityAccess';
import { ReadThroughCache } from '../shared/ReadThroughCache';
import {
  checkTimeOrder,
  parseInstant,
  parsePastInstant,
} from '../database/time';

const DAY = 24 * 60 * 60 * 1000;
/** Four Keys looks at the last three months. */
const DEFAULT_WINDOW_DAYS = 90;
/** A rollback a while after the window still marks a deployment in it. */
const ROLLBACK_LOOKAHEAD_DAYS = 30;
/**
 * A window that ends now ends at the next whole minute, so that the readers
 * of one minute share the figures (nothing is recorded in the future: the
 * figures are the same as at this instant, the window's start moves by less
 * than a minute).
 */
const DEFAULT_END_ROUNDING_MS = 60 * 1000;
/**
 * Kept figures are right for as long as their stamp is current (see
 * readDoraStamp); the time to live only bounds the cache's memory.
 */
const DORA_CACHE_TTL_MS = 5 * 60 * 1000;

/** What selects the services of a DORA query: one entity or a group's. */
export type DoraQuery = {
  entityRef?: string;
  group?: string;
  from?: string;
  to?: string;
  environment?: string[];
};

/** Deployment events and the DORA figures computed from them. */
export class DeploymentsService {
  private readonly deployments: DeploymentStore;
  private readonly access: EntityAccess;
  private readonly historySources: DeploymentHistorySource[];
  private readonly maxWindowDays: number;
  private readonly doraCache: ReadThroughCache;

  constructor(deps: {
    store: DeploymentStore;
    access: EntityAccess;
    /** Keeps computed DORA figures under a stamp of their rows; none: computed on every read. */
    cache?: CacheService;
    historySources?: DeploymentHistorySource[];
    /** The widest window of the DORA figures and the list (`ops.deployments.maxWindow`). */
    maxWindowDays?: number;
  }) {
    this.deployments = deps.store;
    this.access = deps.access;
    this.historySources = deps.historySources ?? [];
    this.maxWindowDays = deps.maxWindowDays ?? RECORD_LIMITS.maxWindowDays;
    this.doraCache = new ReadThroughCache(deps.cache);
  }

  /** What every history source knows of the entity's workloads. */
  async history(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DeploymentHistoryResponse> {
    const entity = await this.access.readableEntity(entityRef, credentials);
    const answers = await Promise.all(
      this.historySources.map(source =>
        source.getHistory(entity, { credentials }).catch(
          (error: Error): DeploymentHistoryResponse => ({
            items: [],
            errors: [{ source: source.id, message: error.message }],
          }),
        ),
      ),
    );
    return {
      items: answers.flatMap(a => a.items),
      errors: answers.flatMap(a => a.errors),
    };
  }

  /**
   * Records a deployment. CI posts with a service identity (an external
   * access token) and needs only to see the entity; a user (or the rollback
   * action on a user's behalf) needs the operation permission on it.
   */
  async create(
    request: CreateDeploymentRequest,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    for (const field of ['commitTime', 'startedAt', 'finishedAt'] as const) {
      const value = request[field];
      if (value !== undefined) {
        parsePastInstant(value, field);
      }
    }
    const startedAt = { field: 'startedAt', value: request.startedAt };
    checkTimeOrder(startedAt, {
      field: 'finishedAt',
      value: request.finishedAt,
    });
    checkTimeOrder(
      { field: 'commitTime', value: request.commitTime },
      startedAt,
    );
    const entity =
      (credentials.principal as { type: string }).type === 'user'
        ? await this.access.authorizeWrite(
            request.entityRef,
            opsOperationExecutePermission,
            credentials,
          )
        : await this.access.readableEntity(request.entityRef, credentials);
    return this.deployments.createDeployment(
      { ...request, entityRef: stringifyEntityRef(entity) },
      { actor: actorOf(credentials) },
    );
  }

  async list(
    filter: DeploymentFilter,
    credentials: BackstageCredentials,
  ): Promise<RecordPage<Deployment>> {
    if (filter.from !== undefined) {
      this.#checkWindow(
        parseInstant(filter.from, 'from'),
        filter.to === undefined ? Date.now() : parseInstant(filter.to, 'to'),
        filter,
      );
    }
    const entity = await this.access.readableEntity(
      filter.entityRef!,
      credentials,
    );
    return this.deployments.listDeployments({
      ...filter,
      entityRef: stringifyEntityRef(entity),
    });
  }

  async dora(
    query: DoraQuery,
    credentials: BackstageCredentials,
  ): Promise<DoraMetrics & { entityRefs: string[] }> {
    const to = query.to
      ? parseInstant(query.to, 'to')
      : Math.ceil(Date.now() / DEFAULT_END_ROUNDING_MS) *
        DEFAULT_END_ROUNDING_MS;
    const from = query.from
      ? parseInstant(query.from, 'from')
      : to - DEFAULT_WINDOW_DAYS * DAY;
    this.#checkWindow(from, to, query);
    // Only the entities this caller may read: callers who see different
    // entities never share figures.
    const entityRefs = [
      ...(await this.#selectEntities(query, credentials)),
    ].sort();
    const window = {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    };
    // The environments computeDoraMetrics counts by default.
    const environments = [...(query.environment ?? ['production'])].sort();
    const stamp = await this.deployments.readDoraStamp(entityRefs);
    const key = `dora:${createHash('sha256')
      .update(JSON.stringify([entityRefs, environments, window, stamp]))
      .digest('base64url')}`;
    const metrics = await this.doraCache.get(
      key,
      async () => {
        // Only the rows the window counts, read by the database on its
        // indexes: not every deployment and incident of the entities (see
        // readDoraWindow). Read after the stamp (see readDoraStamp).
        const rows = await this.deployments.readDoraWindow({
          entityRefs,
          environments,
          ...window,
          until: new Date(to + ROLLBACK_LOOKAHEAD_DAYS * DAY).toISOString(),
        });
        return computeDoraMetrics({ ...rows, ...window, environments });
      },
      DORA_CACHE_TTL_MS,
    );
    return { ...metrics, entityRefs };
  }

  /**
   * A window is ordered and at most `maxWindowDays` wide: the DORA figures
   * walk it day by day, so its width is the cost of the request.
   */
  #checkWindow(from: number, to: number, query: { from?: string }) {
    if (from >= to) {
      throw new InputError(
        `Invalid from '${query.from}': it must be before to (${new Date(
          to,
        ).toISOString()})`,
      );
    }
    if (to - from > this.maxWindowDays * DAY) {
      throw new InputError(
        `Invalid window from ${new Date(from).toISOString()} to ${new Date(
          to,
        ).toISOString()}: it may span at most ${
          this.maxWindowDays
        } days (ops.deployments.maxWindow)`,
      );
    }
  }

  async #selectEntities(
    query: DoraQuery,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    if ((query.entityRef === undefined) === (query.group === undefined)) {
      throw new InputError('Pass exactly one of entityRef and group');
    }
    if (query.entityRef !== undefined) {
      const entity = await this.access.readableEntity(
        query.entityRef,
        credentials,
      );
      return [stringifyEntityRef(entity)];
    }
    const group = stringifyEntityRef(
      parseEntityRef(query.group!, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
    return this.access.ownedEntityRefs(group, credentials);
  }
}
