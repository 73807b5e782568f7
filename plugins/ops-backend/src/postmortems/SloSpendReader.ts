// The error budget each SLO of a service spent during an incident, from
// Prometheus as the SLO card reads it: the SLO's own error-ratio query over
// the incident window, evaluated at its end, turned into a share of the
// whole budget by ops-common's arithmetic.

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  budgetSpentOverInterval,
  formatPromDuration,
  sloErrorRatioQuery,
} from '@opsdeck/plugin-ops-common';
import { PrometheusServers } from '../slo/PrometheusServers';
import { SloService } from '../slo/SloService';

export interface IncidentSloSpend {
  name: string;
  displayName: string;
  objective: number;
  /** The SLO window, e.g. `30d`. */
  window: string;
  /** The error ratio over the incident window; absent without traffic. */
  errorRatio?: number;
  /** The share of the whole budget spent during the incident (0.25 = 25 %). */
  spentRatio?: number;
  error?: string;
}

/** What the draft asks of the SLOs: their spend over a time window. */
export interface SloSpendReader {
  spentDuring(
    entityRef: string,
    window: { start: string; end: string },
    credentials: BackstageCredentials,
  ): Promise<IncidentSloSpend[]>;
}

/** A window shorter than this is measured over a minute (Prometheus' rate needs samples). */
const MIN_WINDOW_SECONDS = 60;

export class PrometheusSloSpendReader implements SloSpendReader {
  constructor(
    private readonly deps: {
      slos: Pick<SloService, 'definitions'>;
      servers: Pick<PrometheusServers, 'forEntity'>;
    },
  ) {}

  async spentDuring(
    entityRef: string,
    window: { start: string; end: string },
    credentials: BackstageCredentials,
  ): Promise<IncidentSloSpend[]> {
    const { entity, result, error } = await this.deps.slos.definitions(
      entityRef,
      credentials,
    );
    if (error) {
      throw new Error(error);
    }
    if (result.slos.length === 0) {
      return [];
    }
    const prometheus = this.deps.servers.forEntity(entity);
    const end = Math.floor(Date.parse(window.end) / 1000);
    const seconds = Math.max(
      MIN_WINDOW_SECONDS,
      end - Math.floor(Date.parse(window.start) / 1000),
    );
    const range = formatPromDuration(seconds);
    return Promise.all(
      result.slos.map(async slo => {
        const described = {
          name: slo.name,
          displayName: slo.displayName ?? slo.name,
          objective: slo.objective,
          window: slo.window,
        };
        try {
          const [sample] = await prometheus.query(
            `max(${sloErrorRatioQuery(slo, range)})`,
            end,
          );
          // NaN is 0/0: no event in the window, an unknown ratio.
          if (!sample || !Number.isFinite(sample.value)) {
            return described;
          }
          return {
            ...described,
            errorRatio: sample.value,
            spentRatio: budgetSpentOverInterval({
              objective: slo.objective,
              windowSeconds: slo.windowSeconds,
              errorRatio: sample.value,
              intervalSeconds: seconds,
            }),
          };
        } catch (e) {
          return { ...described, error: (e as Error).message };
        }
      }),
    );
  }
}
