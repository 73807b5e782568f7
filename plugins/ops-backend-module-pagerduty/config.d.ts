export interface Config {
  ops?: {
    pagerduty?: {
      /**
       * A PagerDuty REST API key (read-only is enough). Without it, entities
       * annotated pagerduty.com/service-id show "PagerDuty unavailable".
       * @visibility secret
       */
      apiToken?: string;
      /** Default https://api.pagerduty.com (https://api.eu.pagerduty.com for EU accounts). */
      apiBaseUrl?: string;
      /** How many times a 429 answer is retried after its Retry-After; default 3. */
      maxRetries?: number;
      /** Longest Retry-After waited for, in seconds; default 10. A longer one makes PagerDuty unavailable for this request. */
      maxRetryAfterSeconds?: number;
      /** Timeout of each request in seconds; default 10. */
      timeoutSeconds?: number;
    };
  };
}
