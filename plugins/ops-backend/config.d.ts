import { HumanDuration } from '@backstage/types';

export interface Config {
  ops?: {
    /**
     * Base URL of the annotation reference that readiness items link to, with
     * one anchor per annotation. Defaults to the OpsDeck page of the app,
     * `<app.baseUrl>/ops/annotations`.
     * @visibility frontend
     */
    documentationUrl?: string;

    incidents?: {
      /**
       * Severity levels, most severe first. Defaults to the operations
       * manuals' SEV1 (respond 15 min, resolve 1 h) to SEV4 (24 h, 1 week).
       */
      severities?: Array<{
        /** For example SEV1: letters, digits, - and _, at most 32. */
        id: string;
        title: string;
        description?: string;
        respondWithinMinutes: number;
        resolveWithinMinutes: number;
      }>;
    };

    postmortems?: {
      /**
       * Business days (Monday to Friday) after an incident of a severity in
       * `dueSeverities` is resolved (or mitigated) by which its post-mortem
       * must be published; later it is overdue. Default 5.
       */
      dueBusinessDays?: number;
      /** The severities whose post-mortems have a due date. Default SEV1 and SEV2. */
      dueSeverities?: string[];
      /**
       * How far before an incident's start the draft lists deployments and
       * rollbacks, in hours. Default 24.
       */
      deploymentLookbackHours?: number;
    };

    deployments?: {
      /**
       * The widest time window a caller may ask of the DORA figures and the
       * deployment list (`from` to `to`); a wider one is refused with 400.
       * Default 366 days; at least 1 day.
       */
      maxWindow?: HumanDuration | string;
    };

    drills?: {
      /**
       * A running exclusive drill (a backup drill or failover holding its
       * database target) that has not been written for this long is taken as
       * abandoned, recorded as aborted, and its target released. The actions
       * re-record their running step every 30 seconds. Default 5 minutes;
       * at least 1 minute.
       */
      abandonAfter?: HumanDuration | string;
      /** Objectives drills are judged against unless a drill names its own. */
      objectives?: {
        /** Recovery time objective; default 1 hour. */
        rto?: HumanDuration | string;
        /** Recovery point objective; default 15 minutes. */
        rpo?: HumanDuration | string;
      };
    };

    /**
     * Database targets; declared in full by the scaffolder module
     * (@opsdeck/plugin-scaffolder-backend-module-ops). The readiness check
     * reads how often each is drilled and which entities it is bound to, the
     * drill records which entities may hold its lease.
     */
    databases?: {
      [name: string]: {
        /**
         * Entity refs allowed to use the target, e.g.
         * `component:default/payments-api`. Without `entities` or `owners`
         * no entity may take the target's lease (an exclusive drill) and
         * the readiness check says so.
         * @visibility backend
         */
        entities?: string[];
        /**
         * Owners (`spec.owner`, default kind Group) whose entities may use
         * the target.
         * @visibility backend
         */
        owners?: string[];
        drillSchedule?: {
          /**
           * Days between two backup-restore drills; a target whose last
           * passed drill is older is flagged as overdue. Default 91.
           */
          everyDays?: number;
        };
      };
    };

    /**
     * Which service principals may call the routes made for them, by subject:
     * the `subject` of a static external access token
     * (backend.auth.externalAccess), or `plugin:<id>` of another backend
     * plugin calling with its own credentials. Every other route refuses
     * service principals with 403 (users are decided by the permission
     * policy; the plugin's own modules, `plugin:ops`, are the plugin).
     */
    principals?: {
      /** May call POST /deployments (CI). Default none. */
      deployments?: string[];
      /** May call POST /alerts/alertmanager (Alertmanager). Default none. */
      alertmanager?: string[];
      /**
       * May read and write drill records (the scaffolder module's scheduled
       * backup drills). Default `plugin:scaffolder`.
       */
      drills?: string[];
      /**
       * May read GET /metrics (a Prometheus scraper's token). Default none.
       */
      metrics?: string[];
    };

    rateLimit?: {
      /**
       * The writes (POST, PATCH, PUT, DELETE) each principal (a user by
       * entity ref, a service by subject) may make per minute; over it a
       * write gets 429 with Retry-After. Counted in memory, so the limit
       * holds per replica. Default `{ perMinute: 120 }`; `false` or
       * `perMinute: 0` turns it off.
       */
      writes?: false | { perMinute?: number };
    };

    access?: {
      /**
       * How long that a caller can read an entity is remembered before the
       * catalog is asked again (refusals are never remembered). For as long
       * again the remembered answer is still used while the catalog is asked
       * in the background, so a lost access shows within twice this time.
       * Default 5 seconds; zero asks the catalog on every read.
       */
      entityReadCacheTtl?: HumanDuration | string;
    };

    kubernetes?: {
      /**
       * The Deployments OpsDeck may act on (ops:kubernetes:rollback of the
       * scaffolder module), each bound to the entities allowed to. A
       * Deployment found by an entity's `backstage.io/kubernetes-id` that no
       * entry binds to that entity (or its owner) is refused before any
       * change. Read by @opsdeck/plugin-ops-node's KubernetesWorkloads.
       * @visibility backend
       */
      workloads?: Array<{
        /**
         * Cluster name from kubernetes.clusterLocatorMethods; every cluster
         * when absent.
         * @visibility backend
         */
        cluster?: string;
        /** @visibility backend */
        namespace: string;
        /** @visibility backend */
        deployment: string;
        /**
         * Entity refs allowed to act on the Deployment.
         * @visibility backend
         */
        entities?: string[];
        /**
         * Owners (`spec.owner`, default kind Group) whose entities may.
         * @visibility backend
         */
        owners?: string[];
      }>;
    };

    prometheus?: {
      /**
       * The Prometheus servers SLOs are evaluated on, by name. An entity picks
       * one with the `opsdeck.dev/prometheus` annotation; URLs only ever come
       * from here.
       */
      servers?: {
        [name: string]: {
          /** Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090 */
          baseUrl: string;
          /**
           * Bearer token sent as `Authorization: Bearer <token>`; use
           * `${PROMETHEUS_TOKEN}` to take it from the environment.
           * @visibility secret
           */
          token?: string;
          /**
           * Extra request headers (e.g. `X-Scope-OrgID` of Mimir/Cortex).
           * @visibility secret
           */
          headers?: { [name: string]: string };
        };
      };
      /**
       * Server of the entities without an `opsdeck.dev/prometheus`
       * annotation. Defaults to the server named `default`, else the first.
       */
      defaultServer?: string;
      /**
       * Time limit of one Prometheus request; default 4 seconds, so a card
       * says "Prometheus unavailable" within 5 seconds.
       */
      timeout?: HumanDuration | string;
      /**
       * How long query results are reused; default 15 seconds. SLOs are
       * evaluated at now rounded down to a multiple of it, so that every
       * reader within it shares one set of queries: figures are up to this
       * old. 0 evaluates at now and keeps nothing.
       */
      cacheTtl?: HumanDuration | string;
    };

    oncall?: {
      /**
       * On-call schedules defined in config, by name; an entity names one
       * with the annotation `opsdeck.dev/oncall-schedule: <name>`. The same
       * body as the `spec` of a schedule file (kind OnCallSchedule).
       */
      schedules?: {
        [name: string]: {
          rotation: {
            /** Shift length in units; default 1. */
            length?: number;
            /** weeks (default) or days. */
            unit?: 'weeks' | 'days';
            /** Weekday of the handoff for weekly rotations; default monday. */
            handoffDay?:
              | 'monday'
              | 'tuesday'
              | 'wednesday'
              | 'thursday'
              | 'friday'
              | 'saturday'
              | 'sunday';
            /** Local time of the handoff, HH:mm; default 09:00. */
            handoffTime?: string;
            /** IANA time zone of the handoff, e.g. Europe/Berlin. */
            timeZone: string;
            /** Local date YYYY-MM-DD; the first handoff on or after it starts the first participant's shift. */
            start: string;
          };
          /** Escalation levels, each once, in the order they are paged. */
          layers: Array<{
            level: 'primary' | 'secondary' | 'engineering-manager';
            /** User entity refs in rotation order. */
            participants: string[];
            /** Start the rotation this many participants later. */
            offset?: number;
          }>;
        };
      };
    };

    alerts?: {
      alertmanager?: {
        /**
         * The alert label naming the service the alert is about: a
         * component name (component:default/<value>) or an entity ref.
         * Default `service`.
         */
        serviceLabel?: string;
        /** The alert label carrying its severity. Default `severity`. */
        severityLabel?: string;
        /**
         * Severity label values (lower case) to incident severity ids.
         * Replaces the default, from the manuals' alert tiers: critical and
         * page SEV1, high and error SEV2, warning and medium SEV3, low and
         * info SEV4.
         */
        severities?: { [labelValue: string]: string };
        /** Severity of alerts whose label maps to none. Default SEV3. */
        defaultSeverity?: string;
      };
    };

    notifications?: {
      /**
       * Incident severity id to notification severity (critical, high,
       * normal, low). Default SEV1 critical, SEV2 high, SEV3 normal, SEV4
       * low; a severity in neither is normal.
       */
      severityMap?: {
        [severityId: string]: 'critical' | 'high' | 'normal' | 'low';
      };
      /** The "Next Update" an incident update promises, in minutes. Default 30. */
      nextUpdateMinutes?: number;
      /**
       * Notify the owners when an SLO's remaining error budget falls below
       * this percentage (and when it is exhausted), once per SLO window.
       * Default 25.
       */
      budgetThresholdPercent?: number;
      slack?: {
        /**
         * Slack channel per incident severity, for services without a
         * `slack.com/bot-notify` annotation; set as the notification's
         * `metadata.slackChannel`.
         */
        channelsBySeverity?: { [severityId: string]: string };
      };
    };

    metrics?: {
      /**
       * Serve /api/ops/metrics without credentials, for a Prometheus scraper.
       * Off by default: the metrics name services and their incidents.
       */
      allowUnauthenticated?: boolean;
    };
  };
}
