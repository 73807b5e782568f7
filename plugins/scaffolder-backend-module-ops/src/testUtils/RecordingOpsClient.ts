import {
  AppendIncidentEventRequest,
  CreateIncidentRequest,
  Incident,
  IncidentEvent,
  UpdateIncidentRequest,
  CreateDrillRequest,
  Drill,
  DrillStep,
  UpdateDrillRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';

/** @public */
export type StepWrite = {
  drillId: string;
  name: string;
} & UpsertDrillStepRequest;
/** @public */
export type DrillUpdate = { id: string } & UpdateDrillRequest;
/** @public */
export type EventWrite = { incidentId: string } & AppendIncidentEventRequest;
/** @public */
export type IncidentUpdate = { id: string } & UpdateIncidentRequest;

/**
 * A call the client received, in order; JSON, so a child process can hand them over.
 *
 * @public
 */
export type RecordedCall =
  | { method: 'createDrill'; request: CreateDrillRequest }
  | { method: 'upsertDrillStep'; request: StepWrite }
  | { method: 'updateDrill'; request: DrillUpdate }
  | { method: 'createIncident'; request: CreateIncidentRequest }
  | { method: 'appendIncidentEvent'; request: EventWrite }
  | { method: 'updateIncident'; request: IncidentUpdate };

/**
 * An `OpsService` that keeps the drill and incident writes in memory, in
 * the order they were made, for tests to assert on. Listing and readiness
 * calls are not expected from the actions and throw.
 *
 * @public
 */
export class RecordingOpsClient implements OpsService {
  readonly drillId = '6f1c2d3e-0000-4000-8000-000000000001';
  readonly incidentId = '6f1c2d3e-0000-4000-8000-0000000000a1';
  readonly calls: RecordedCall[];
  readonly #onStep?: (step: StepWrite) => void;
  readonly #onCall?: (call: RecordedCall) => void;

  constructor(
    options: {
      onStep?: (step: StepWrite) => void;
      /** Every call, after it is recorded (e.g. to hand it to another process). */
      onCall?: (call: RecordedCall) => void;
      /** Calls an earlier process made, continued here. */
      calls?: RecordedCall[];
    } = {},
  ) {
    this.#onStep = options.onStep;
    this.#onCall = options.onCall;
    this.calls = [...(options.calls ?? [])];
  }

  #push(call: RecordedCall): void {
    this.calls.push(call);
    this.#onCall?.(call);
  }

  /** The incident timeline entries, in order. */
  get events(): EventWrite[] {
    return this.calls.flatMap(call =>
      call.method === 'appendIncidentEvent' ? [call.request] : [],
    );
  }

  get incidentsCreated(): CreateIncidentRequest[] {
    return this.calls.flatMap(call =>
      call.method === 'createIncident' ? [call.request] : [],
    );
  }

  lastIncidentUpdate(): IncidentUpdate | undefined {
    const updates = this.calls.flatMap(call =>
      call.method === 'updateIncident' ? [call.request] : [],
    );
    return updates[updates.length - 1];
  }

  get created(): CreateDrillRequest[] {
    return this.calls.flatMap(call =>
      call.method === 'createDrill' ? [call.request] : [],
    );
  }

  /** The last recorded state of each step, in the order steps first appeared. */
  get steps(): StepWrite[] {
    const steps = new Map<string, StepWrite>();
    for (const call of this.calls) {
      if (call.method === 'upsertDrillStep') {
        steps.set(call.request.name, call.request);
      }
    }
    return [...steps.values()];
  }

  finalSteps(): Array<[string, string]> {
    return this.steps.map(step => [step.name, step.status]);
  }

  step(name: string): StepWrite | undefined {
    return this.steps.find(step => step.name === name);
  }

  lastUpdate(): DrillUpdate {
    const updates = this.calls.flatMap(call =>
      call.method === 'updateDrill' ? [call.request] : [],
    );
    if (updates.length === 0) {
      throw new Error('The drill was never updated');
    }
    return updates[updates.length - 1];
  }

  #drill(): Drill {
    const now = new Date().toISOString();
    // On a retry the drill was created by an earlier attempt.
    const created: CreateDrillRequest = this.created[0] ?? {
      entityRef: 'component:default/earlier-attempt',
      kind: 'backup-restore',
      target: 'earlier-attempt',
    };
    return {
      id: this.drillId,
      entityRef: created.entityRef,
      kind: created.kind,
      target: created.target,
      status: 'running',
      startedAt: created.startedAt ?? now,
      objectives: created.objectives ?? { rtoSeconds: 3600, rpoSeconds: 900 },
      verification: [],
      triggeredBy: 'user:default/mock',
      taskId: created.taskId,
      steps: this.steps.map(
        (step): DrillStep => ({
          name: step.name,
          status: step.status,
          startedAt: step.startedAt ?? now,
          finishedAt: step.finishedAt,
          output: step.output,
        }),
      ),
      version: this.calls.length,
      createdAt: now,
      updatedAt: now,
    };
  }

  async createDrill(request: CreateDrillRequest): Promise<Drill> {
    this.#push({ method: 'createDrill', request });
    return this.#drill();
  }

  async upsertDrillStep(request: StepWrite): Promise<Drill> {
    this.#push({ method: 'upsertDrillStep', request });
    this.#onStep?.(request);
    return this.#drill();
  }

  async updateDrill(request: DrillUpdate): Promise<Drill> {
    this.#push({ method: 'updateDrill', request });
    return this.#drill();
  }

  async listDrills(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async getReadiness(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async getSlos(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async listIncidents(): Promise<never> {
    throw new Error('not expected from the actions');
  }

  #incident(): Incident {
    const now = new Date().toISOString();
    const created: CreateIncidentRequest = this.incidentsCreated[0] ?? {
      entityRef: 'component:default/earlier-attempt',
      title: 'earlier attempt',
      severity: 'SEV2',
    };
    const updates = this.calls.filter(c => c.method === 'updateIncident');
    return {
      id: this.incidentId,
      entityRef: created.entityRef,
      title: created.title,
      severity: created.severity,
      status: created.status ?? 'open',
      summary: created.summary,
      detectedAt: now,
      labels: created.labels ?? {},
      version: 1 + updates.length,
      createdBy: 'user:default/mock',
      createdAt: now,
      updatedBy: 'user:default/mock',
      updatedAt: now,
    };
  }

  async createIncident(request: CreateIncidentRequest): Promise<Incident> {
    this.#push({ method: 'createIncident', request });
    return this.#incident();
  }

  async getIncident(): Promise<Incident> {
    return this.#incident();
  }

  async updateIncident(request: IncidentUpdate): Promise<Incident> {
    this.#push({ method: 'updateIncident', request });
    return this.#incident();
  }

  async appendIncidentEvent(request: EventWrite): Promise<IncidentEvent> {
    this.#push({ method: 'appendIncidentEvent', request });
    return {
      id: String(this.calls.length),
      incidentId: request.incidentId,
      type: request.type,
      message: request.message,
      data: request.data,
      author: 'user:default/mock',
      createdAt: new Date().toISOString(),
    };
  }

  async createDeployment(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async listDeployments(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async getDeploymentHistory(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async getDoraMetrics(): Promise<never> {
    throw new Error('not expected from the drill action');
  }
}
