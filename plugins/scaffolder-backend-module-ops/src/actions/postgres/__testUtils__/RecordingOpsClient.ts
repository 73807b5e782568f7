import {
  CreateDrillRequest,
  Drill,
  DrillStep,
  UpdateDrillRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import { OpsClient } from '@opsdeck/plugin-ops-node';

type StepWrite = { drillId: string; name: string } & UpsertDrillStepRequest;
type DrillUpdate = { id: string } & UpdateDrillRequest;

/**
 * An {@link OpsClient} that keeps the drill writes in memory, in the order
 * they were made, for tests to assert on. Incident and readiness calls are
 * not expected from the drill action and throw.
 */
export class RecordingOpsClient implements OpsClient {
  readonly drillId = '6f1c2d3e-0000-4000-8000-000000000001';
  readonly calls: Array<
    | { method: 'createDrill'; request: CreateDrillRequest }
    | { method: 'upsertDrillStep'; request: StepWrite }
    | { method: 'updateDrill'; request: DrillUpdate }
  > = [];
  readonly #onStep?: (step: StepWrite) => void;

  constructor(options: { onStep?: (step: StepWrite) => void } = {}) {
    this.#onStep = options.onStep;
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
    this.calls.push({ method: 'createDrill', request });
    return this.#drill();
  }

  async upsertDrillStep(request: StepWrite): Promise<Drill> {
    this.calls.push({ method: 'upsertDrillStep', request });
    this.#onStep?.(request);
    return this.#drill();
  }

  async updateDrill(request: DrillUpdate): Promise<Drill> {
    this.calls.push({ method: 'updateDrill', request });
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
    throw new Error('not expected from the drill action');
  }

  async createIncident(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async getIncident(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async updateIncident(): Promise<never> {
    throw new Error('not expected from the drill action');
  }

  async appendIncidentEvent(): Promise<never> {
    throw new Error('not expected from the drill action');
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
