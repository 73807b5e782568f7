import {
  SloAlertSeverity,
  SloBudgetingMethod,
  SloDefinitionError,
  SloDefinitionSource,
  SloErrorBudget,
} from '@opsdeck/plugin-ops-common';

/** Where the error ratios of an evaluation came from. */
export type SloQuerySource = 'opsdeck-rules' | 'sloth-rules' | 'raw';

/** One SLO of an entity, evaluated (or the reason it could not be). */
export interface SloStatus {
  name: string;
  displayName: string;
  description?: string;
  service: string;
  objective: number;
  window: string;
  windowSeconds: number;
  budgetingMethod: SloBudgetingMethod;
  indicatorType: 'ratio' | 'latency';
  timeslices?: { slice: string; sliceTarget: number };
  source: SloDefinitionSource;
  evaluatedAt: string;
  querySource?: SloQuerySource;
  /** SLI over the SLO window; absent when there was no event. */
  sli?: number;
  errorBudget?: SloErrorBudget;
  /** Burn rate per window (5m ... 3d); absent for a window without events. */
  burnRates?: Record<string, number | undefined>;
  alerts?: {
    severity: SloAlertSeverity | 'none';
    tiers: Array<{
      id: string;
      severity: SloAlertSeverity;
      longWindow: string;
      shortWindow: string;
      burnRateFactor: number;
      longBurnRate?: number;
      shortBurnRate?: number;
      firing: boolean;
    }>;
  };
  /** Why this SLO has no numbers (Prometheus unavailable, a refused query). */
  error?: string;
}

/** The SLOs of an entity. */
export interface SloReport {
  entityRef: string;
  /** Where the documents were read from. */
  location?: string;
  /** The Prometheus server they are evaluated on. */
  prometheus?: string;
  slos: SloStatus[];
  /** Problems in the documents, each located; the valid SLOs still evaluate. */
  definitionErrors: SloDefinitionError[];
  /** Why nothing could be evaluated (unreadable documents, unknown server). */
  error?: string;
}

/** One point of the budget chart. */
export interface SloBudgetPoint {
  time: string;
  sli: number;
  remainingRatio: number;
}
