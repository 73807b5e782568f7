export interface Config {
  ops?: {
    /**
     * The Grafana whose panels the Grafana panels card embeds
     * (`opsdeck.dev/grafana-panels`). Its origin must also be in
     * `backend.csp.frame-src`, and Grafana must allow embedding
     * (`allow_embedding = true` in grafana.ini).
     */
    grafana?: {
      /**
       * Grafana's root URL as browsers reach it, e.g.
       * `https://grafana.example.com` (with its sub-path, if any).
       * @visibility frontend
       */
      baseUrl: string;
      /**
       * The Grafana organization of the dashboards; Grafana's default, 1,
       * when unset.
       * @visibility frontend
       */
      orgId?: number;
    };
    /**
     * The database targets (declared in full by the scaffolder module); the
     * Drills card and the entity menu read each target's engine to offer a
     * failover only where one can run.
     */
    databases?: {
      [name: string]: {
        /**
         * `postgres` (default) or `mysql`.
         * @visibility frontend
         */
        engine?: 'postgres' | 'mysql';
      };
    };
  };
}
