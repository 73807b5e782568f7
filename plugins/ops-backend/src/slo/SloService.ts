import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  formatSloDefinitionError,
  generateSloRuleFile,
  parseSloDefinitions,
  PrometheusAlertingRule,
  sloPrometheusAlerts,
  SloBudgetHistory,
  SloDefinitionsResult,
  SloReport,
} from '@opsdeck/plugin-ops-common';
import { EntityAccess } from '../access/EntityAccess';
import { ReadThroughCache } from '../shared/ReadThroughCache';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusServers } from './PrometheusServers';
import { describeSlo, SloEvaluator } from './SloEvaluator';
import { SloDocumentReader } from './SloDocumentReader';
import { runbookUrlFor } from './runbooks';

/**
 * Everything a card waits for is answered within this, Prometheus or not: an
 * unavailable server becomes an error in the data, not a stalled page.
 */
const EVALUATION_DEADLINE_MS = 4500;
const HISTORY_POINTS = 120;

/**
 * The SLOs of catalog entities: reads the documents the entity points at,
 * parses them (ops-common) and evaluates each on the entity's Prometheus.
 * Reads follow the catalog through {@link EntityAccess}. Problems with one
 * SLO or one document are reported in the result, next to the SLOs that
 * did evaluate; only an unknown or unreadable entity is an HTTP error.
 */
export class SloService {
  readonly #documents: ReadThroughCache;

  constructor(
    private readonly deps: {
      access: EntityAccess;
      servers: PrometheusServers;
      documents: SloDocumentReader;
      logger: LoggerService;
      cache?: CacheService;
      /** How long document text is reused before it is read again. */
      documentCacheTtlMs: number;
      /** For the TechDocs links of the generated alerts. */
      appBaseUrl: string;
    },
  ) {
    this.#documents = new ReadThroughCache(deps.cache);
  }

  /** The entity's SLO definitions and where they came from. */
  async definitions(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{
    entity: Entity;
    location?: string;
    result: SloDefinitionsResult;
    error?: string;
  }> {
    const entity = await this.deps.access.readableEntity(
      entityRef,
      credentials,
    );
    if (!this.deps.documents.target(entity)) {
      return { entity, result: { slos: [], errors: [] } };
    }
    try {
      const { location, text } = await this.#documentText(entity);
      return {
        entity,
        location,
        result: parseSloDefinitions([{ path: location, content: text }]),
      };
    } catch (e) {
      return {
        entity,
        result: { slos: [], errors: [] },
        error: `Cannot read the SLO documents: ${(e as Error).message}`,
      };
    }
  }

  /**
   * Every SLO of the entity, evaluated at `at` (unix seconds; default now,
   * rounded down to the Prometheus answers' time to live: see
   * PrometheusClient.evaluationTime).
   */
  async evaluate(
    entityRef: string,
    credentials: BackstageCredentials,
    at?: number,
  ): Promise<SloReport> {
    const deadline = Date.now() + EVALUATION_DEADLINE_MS;
    const { entity, location, result, error } = await this.definitions(
      entityRef,
      credentials,
    );
    const report: SloReport = {
      entityRef: stringifyEntityRef(entity),
      location,
      slos: [],
      definitionErrors: result.errors,
      error,
    };
    if (result.slos.length === 0) {
      return report;
    }
    let evaluator: SloEvaluator;
    let prometheus: PrometheusClient;
    try {
      prometheus = this.deps.servers.forEntity(entity);
      report.prometheus = prometheus.server.name;
      evaluator = new SloEvaluator(prometheus);
    } catch (e) {
      report.error = (e as Error).message;
      return report;
    }
    const time = at ?? prometheus.evaluationTime();
    // Prometheus' alert state is now, whatever `at` asks: /api/v1/rules has
    // no history. One request serves every SLO of the entity.
    const alertingRules: Promise<
      { rules: PrometheusAlertingRule[] } | { error: string }
    > = prometheus.alertingRules(deadline).then(
      rules => ({ rules }),
      e => ({ error: (e as Error).message }),
    );
    report.slos = await Promise.all(
      result.slos.map(slo =>
        evaluator
          .evaluate(slo, time, deadline)
          .then(async evaluated => {
            const alerts = await alertingRules;
            return 'rules' in alerts
              ? {
                  ...evaluated,
                  prometheusAlerts: sloPrometheusAlerts(slo, alerts.rules),
                }
              : { ...evaluated, prometheusAlertsError: alerts.error };
          })
          .catch(e => {
            this.deps.logger.debug(
              `SLO ${slo.name} of ${report.entityRef}: ${(e as Error).message}`,
            );
            return {
              ...describeSlo(slo),
              evaluatedAt: new Date(time * 1000).toISOString(),
              error: (e as Error).message,
            };
          }),
      ),
    );
    return report;
  }

  /** The remaining budget of one SLO over its window, for the chart. */
  async history(
    entityRef: string,
    sloName: string,
    credentials: BackstageCredentials,
    at?: number,
  ): Promise<SloBudgetHistory> {
    const { entity, result, error } = await this.definitions(
      entityRef,
      credentials,
    );
    const slo = result.slos.find(s => s.name === sloName);
    if (!slo) {
      if (error) {
        return { entityRef, slo: sloName, points: [], error };
      }
      throw new NotFoundError(
        `${entityRef} has no SLO named '${sloName}'; it has: ${
          result.slos.map(s => s.name).join(', ') || 'none'
        }`,
      );
    }
    try {
      const prometheus = this.deps.servers.forEntity(entity);
      const evaluator = new SloEvaluator(prometheus);
      const { source, points, firstSample } = await evaluator.budgetHistory(
        slo,
        at ?? prometheus.evaluationTime(),
        HISTORY_POINTS,
      );
      return {
        entityRef,
        slo: sloName,
        querySource: source,
        points,
        ...(firstSample === undefined
          ? {}
          : { firstSampleAt: new Date(firstSample * 1000).toISOString() }),
      };
    } catch (e) {
      return {
        entityRef,
        slo: sloName,
        points: [],
        error: (e as Error).message,
      };
    }
  }

  /**
   * The Prometheus rule file of the entity's SLOs: recording rules and the
   * multi-burn-rate alerts, whose `runbook_url` is the service's TechDocs
   * runbook when it links one. Problems with some documents are listed as
   * comments at the top; the valid SLOs still get their rules.
   */
  async rules(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const { entity, result, error } = await this.definitions(
      entityRef,
      credentials,
    );
    const problems = [
      ...(error ? [error] : []),
      ...result.errors.map(formatSloDefinitionError),
    ];
    if (result.slos.length === 0) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} has no valid SLO${
          problems.length ? `: ${problems.join('; ')}` : ''
        }`,
      );
    }
    const file = generateSloRuleFile(result.slos, {
      runbookUrl: slo => runbookUrlFor(entity, slo, this.deps.appBaseUrl),
    });
    const header = problems.map(
      p => `# Skipped: ${p.replace(/[\r\n]+/g, ' ')}\n`,
    );
    return header.join('') + file;
  }

  #documentText(entity: Entity): Promise<{ location: string; text: string }> {
    return this.#documents.get(
      `ops:slo:documents:${stringifyEntityRef(
        entity,
      )}:${this.deps.documents.target(entity)}`,
      async () => {
        const { location, text } = await this.deps.documents.read(entity);
        return { location, text };
      },
      this.deps.documentCacheTtlMs,
    );
  }
}
