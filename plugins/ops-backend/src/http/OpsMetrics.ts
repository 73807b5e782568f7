import { Drill } from '@opsdeck/plugin-ops-common';
import { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DrillStore } from '../drills/DrillStore';
import { IncidentStore } from '../incidents/IncidentStore';

function openIncidentsGauge(store: IncidentStore) {
  return new Gauge({
    name: 'opsdeck_incidents_open',
    help: 'Incidents not resolved, by service and severity',
    labelNames: ['entity_ref', 'severity'],
    registers: [],
    async collect() {
      this.reset();
      for (const row of await store.countOpenIncidents()) {
        this.set(
          { entity_ref: row.entityRef, severity: row.severity },
          row.count,
        );
      }
    },
  });
}

function drillsGauge(store: DrillStore) {
  return new Gauge({
    name: 'opsdeck_drills',
    help: 'Drills recorded, by kind and result',
    labelNames: ['kind', 'status'],
    registers: [],
    async collect() {
      this.reset();
      for (const row of await store.countDrills()) {
        this.set({ kind: row.kind, status: row.status }, row.count);
      }
    },
  });
}

/**
 * OpsDeck's Prometheus metrics, in a registry of their own so they never
 * collide with another plugin's. Counts of records are read from the
 * database at scrape time, so every backend replica reports the same truth;
 * durations are observed by the replica that handled the request.
 */
export class OpsMetrics {
  readonly registry = new Registry();
  readonly #drillDuration: Histogram<'kind' | 'status'>;
  readonly #requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly #drillsFinished: Counter<'kind' | 'status'>;

  constructor(stores: { incidents: IncidentStore; drills: DrillStore }) {
    // Registered in this.registry; prom-client calls collect() at each scrape.
    this.registry.registerMetric(openIncidentsGauge(stores.incidents));
    this.registry.registerMetric(drillsGauge(stores.drills));
    this.#drillsFinished = new Counter({
      name: 'opsdeck_drills_finished_total',
      help: 'Drills that finished on this replica, by kind and result',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
    });
    this.#drillDuration = new Histogram({
      name: 'opsdeck_drill_duration_seconds',
      help: 'Wall time of finished drills, by kind and result',
      labelNames: ['kind', 'status'],
      // from a rollback in seconds to a large restore in hours
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400],
      registers: [this.registry],
    });
    this.#requestDuration = new Histogram({
      name: 'opsdeck_http_request_duration_seconds',
      help: 'Duration of /api/ops requests',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  drillFinished(drill: Drill) {
    const labels = { kind: drill.kind, status: drill.status };
    this.#drillsFinished.inc(labels);
    if (drill.finishedAt) {
      this.#drillDuration.observe(
        labels,
        (Date.parse(drill.finishedAt) - Date.parse(drill.startedAt)) / 1000,
      );
    }
  }

  /** Times every request, labelled by its route pattern (never the raw URL). */
  requestTimer(): RequestHandler {
    return (req, res, next) => {
      const end = this.#requestDuration.startTimer();
      res.on('finish', () => {
        const route = req.route?.path
          ? `${req.baseUrl}${req.route.path}`
          : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
