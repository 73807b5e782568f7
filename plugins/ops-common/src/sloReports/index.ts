/**
 * The answers of the SLO endpoints of the ops backend (`GET /slos`,
 * `GET /slos/history`), shared by the backend, the frontend and OpsClient.
 */
import type { SloEvaluation } from '../slo/evaluation';
import type { SloPrometheusAlerts } from '../slo/prometheusAlerts';
import type {
  SloBudgetingMethod,
  SloDefinitionError,
  SloDefinitionSource,
} from '../slo/model';

/**
 * Where the error ratios of an evaluation came from.
 *
 * @public
 */
export type SloQuerySource = 'opsdeck-rules' | 'sloth-rules' | 'raw';

/**
 * One SLO of an entity, evaluated: its definition's essentials, and the
 * numbers computed by {@link evaluateSlo} from the error ratios
 * Prometheus returned, or the reason it could not be (`error`).
 *
 * @public
 */
export interface EvaluatedSlo extends Partial<SloEvaluation> {
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
  /**
   * Prometheus' own alerts for this SLO (`/api/v1/rules`): the only source
   * of "paging". Absent when Prometheus did not list its rules.
   */
  prometheusAlerts?: SloPrometheusAlerts;
  /** Why `prometheusAlerts` is absent (Prometheus refused the rules request). */
  prometheusAlertsError?: string;
  /** Why this SLO has no numbers (Prometheus unavailable, a refused query). */
  error?: string;
}

/**
 * The SLOs of an entity.
 *
 * @public
 */
export interface SloReport {
  entityRef: string;
  /** Where the documents were read from. */
  location?: string;
  /** The Prometheus server they are evaluated on. */
  prometheus?: string;
  slos: EvaluatedSlo[];
  /** Problems in the documents, each located; the valid SLOs still evaluate. */
  definitionErrors: SloDefinitionError[];
  /** Why nothing could be evaluated (unreadable documents, unknown server). */
  error?: string;
}

/**
 * One point of the budget chart.
 *
 * @public
 */
export interface SloBudgetPoint {
  time: string;
  sli: number;
  remainingRatio: number;
}

/**
 * The remaining error budget of one SLO over its window.
 *
 * @public
 */
export interface SloBudgetHistory {
  entityRef: string;
  slo: string;
  querySource?: SloQuerySource;
  points: SloBudgetPoint[];
  /**
   * When the data is younger than the SLO window: its first sample, where the
   * points start.
   */
  firstSampleAt?: string;
  /** Why there are no points (Prometheus unavailable, unreadable documents). */
  error?: string;
}
