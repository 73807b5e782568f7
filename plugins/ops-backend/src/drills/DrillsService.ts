import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  CreateDrillRequest,
  databaseBindingRefusal,
  databaseTargetsOf,
  Drill,
  DrillFilter,
  OPSDECK_ANNOTATIONS,
  opsDrillWritePermission,
  opsOperationExecutePermission,
  RecordPage,
  RecoveryObjectives,
  TargetBinding,
  UpdateDrillRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import { actorOf } from '../access/actor';
import { EntityAccess } from '../access/EntityAccess';
import { listReadable, readableRecord } from '../access/readablePage';
import { encodeCursor } from '../database/paging';
import { checkTimeOrder, parsePastInstant } from '../database/time';
import { OpsEvents } from '../events/OpsEvents';
import { DrillStore } from './DrillStore';

/** 5 minutes: the actions re-record their running step every 30 s. */
export const DEFAULT_ABANDON_AFTER_MS = 5 * 60 * 1000;

/** Drills and their steps: the rules, on top of the store. */
export class DrillsService {
  private readonly store: DrillStore;
  private readonly access: EntityAccess;
  private readonly defaultObjectives: RecoveryObjectives;
  private readonly onFinished: (drill: Drill) => void;
  /** How long an exclusive running drill may go unwritten before it is taken as abandoned. */
  private readonly abandonAfterMs: number;
  /** The entities each database target is bound to; undefined: none. */
  private readonly bindingOf: (target: string) => TargetBinding | undefined;
  private readonly events: OpsEvents;

  constructor(deps: {
    store: DrillStore;
    access: EntityAccess;
    defaultObjectives: RecoveryObjectives;
    onFinished?: (drill: Drill) => void;
    abandonAfterMs?: number;
    /** Default: every target is bound to no entity, so no lease is taken. */
    bindingOf?: (target: string) => TargetBinding | undefined;
    /** Hears of every committed change (notifications, live cards). */
    events?: OpsEvents;
  }) {
    this.events = deps.events ?? new OpsEvents();
    this.store = deps.store;
    this.access = deps.access;
    this.defaultObjectives = deps.defaultObjectives;
    this.onFinished = deps.onFinished ?? (() => {});
    this.abandonAfterMs = deps.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
    this.bindingOf = deps.bindingOf ?? (() => undefined);
  }

  async list(
    filter: DrillFilter,
    credentials: BackstageCredentials,
  ): Promise<RecordPage<Drill>> {
    return listReadable({
      access: this.access,
      credentials,
      filter,
      list: f => this.store.listDrills(f),
      cursorAfter: drill =>
        encodeCursor({ time: drill.startedAt, id: drill.id }),
    });
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Drill> {
    return readableRecord(
      await this.store.getDrill(id),
      `No drill with id '${id}'`,
      this.access,
      credentials,
    );
  }

  async create(
    request: CreateDrillRequest,
    credentials: BackstageCredentials,
  ): Promise<Drill> {
    if (request.startedAt !== undefined) {
      parsePastInstant(request.startedAt, 'startedAt');
    }
    const entity = await this.access.authorizeWrite(
      request.entityRef,
      opsDrillWritePermission,
      credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    if (request.exclusive) {
      // The lease on a target blocks every other run on it (a failover gets
      // 409), so only a run that may act on the target can take it: its
      // entity names the target, the admin bound the target to that entity
      // (ops.databases.<name>.entities/owners), and the caller may operate
      // on that entity.
      if (!databaseTargetsOf(entity).includes(request.target)) {
        throw new NotAllowedError(
          `${entityRef} cannot hold the lease of ${request.target}: its ${OPSDECK_ANNOTATIONS.databases} annotation does not name that target`,
        );
      }
      const refusal = databaseBindingRefusal(
        entity,
        request.target,
        this.bindingOf(request.target),
      );
      if (refusal) {
        throw new NotAllowedError(
          `${entityRef} cannot hold the lease of ${request.target}: ${refusal}`,
        );
      }
      await this.access.authorizeWrite(
        entityRef,
        opsOperationExecutePermission,
        credentials,
      );
    }
    const drill = await this.store.createDrill(
      {
        entityRef,
        kind: request.kind,
        target: request.target,
        status: 'running',
        startedAt: request.startedAt ?? new Date().toISOString(),
        objectives: request.objectives ?? this.defaultObjectives,
        verification: [],
        triggeredBy: actorOf(credentials),
        taskId: request.taskId,
        exclusive: request.exclusive,
      },
      { abandonedBefore: new Date(Date.now() - this.abandonAfterMs) },
    );
    this.events.emit({ type: 'drill.started', drill });
    return drill;
  }

  async update(
    id: string,
    request: UpdateDrillRequest,
    credentials: BackstageCredentials,
  ): Promise<Drill> {
    const current = await this.get(id, credentials);
    await this.access.authorizeWrite(
      current.entityRef,
      opsDrillWritePermission,
      credentials,
    );
    const { version, ...patch } = request;
    const finishing =
      patch.status !== undefined &&
      patch.status !== 'running' &&
      current.status === 'running';
    if (finishing && !patch.finishedAt) {
      patch.finishedAt = new Date().toISOString();
    }
    if (patch.finishedAt !== undefined) {
      parsePastInstant(patch.finishedAt, 'finishedAt');
    }
    checkTimeOrder(
      { field: 'the drill started', value: current.startedAt },
      { field: 'finishedAt', value: patch.finishedAt ?? current.finishedAt },
    );
    const updated = await this.store.updateDrill(id, patch, {
      expectedVersion: version,
    });
    if (finishing) {
      this.onFinished(updated);
    }
    this.events.emit({
      type: 'drill.changed',
      drill: updated,
      finished: finishing,
    });
    return updated;
  }

  async upsertStep(
    id: string,
    name: string,
    request: UpsertDrillStepRequest,
    credentials: BackstageCredentials,
  ): Promise<Drill> {
    const current = await this.get(id, credentials);
    await this.access.authorizeWrite(
      current.entityRef,
      opsDrillWritePermission,
      credentials,
    );
    for (const field of ['startedAt', 'finishedAt'] as const) {
      const value = request[field];
      if (value !== undefined) {
        parsePastInstant(value, field);
      }
    }
    const existing = current.steps.find(step => step.name === name);
    const startedAt =
      request.startedAt ?? existing?.startedAt ?? new Date().toISOString();
    const finishedAt =
      request.finishedAt ??
      (request.status === 'running' ? undefined : new Date().toISOString());
    checkTimeOrder(
      { field: 'startedAt', value: startedAt },
      { field: 'finishedAt', value: finishedAt },
    );
    const drill = await this.store.upsertDrillStep(id, {
      name,
      status: request.status,
      startedAt,
      finishedAt,
      output: request.output,
    });
    const step = drill.steps.find(s => s.name === name);
    if (step) {
      this.events.emit({ type: 'drill.step', drill, step });
    }
    return drill;
  }
}
