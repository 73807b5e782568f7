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
     * reads how often each is drilled.
     */
    databases?: {
      [name: string]: {
        drillSchedule?: {
          /**
           * Days between two backup-restore drills; a target whose last
           * passed drill is older is flagged as overdue. Default 91.
           */
          everyDays?: number;
        };
      };
    };

    access?: {
      /**
       * How long that a caller can read an entity is remembered before the
       * catalog is asked again (refusals are never remembered). Default 5
       * seconds; zero asks the catalog on every read.
       */
      entityReadCacheTtl?: HumanDuration | string;
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
