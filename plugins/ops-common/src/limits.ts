/**
 * The size limits of OpsDeck's records, defined once. The OpenAPI document
 * derives its `maxLength`/`maxItems`/`maximum` from these, the stores trust
 * them, and the scaffolder module clips what it reports to them so a long
 * pg_restore log never turns a finished drill into a 400.
 *
 * @public
 */
export const RECORD_LIMITS = {
  /** Entity and user references. */
  refLength: 255,
  /** Incident and drill titles, verification item names, drill targets. */
  titleLength: 200,
  /** Free text: incident summaries, timeline messages, step output. */
  textLength: 10_000,
  /** A verification item's expected and actual values. */
  verificationValueLength: 1_000,
  /** Verification items of one drill. */
  verificationItems: 1_000,
  /** A drill's Markdown report. */
  reportLength: 200_000,
  /** Identifiers from other systems: task, deployment, version. */
  externalIdLength: 255,
  /** URLs of links and runbooks. */
  urlLength: 2_048,
  /** Seconds in RTO/RPO objectives and measured durations: one year. */
  maxSeconds: 31_536_000,
  /** Labels on a record, and the length of one label value and name. */
  labels: 32,
  labelValueLength: 255,
  labelNameLength: 63,
  /** Properties of the structured data of a timeline entry. */
  eventDataProperties: 32,
  /** Nesting of a timeline entry's data: objects and arrays, the data itself included. */
  eventDataDepth: 8,
  /** A timeline entry's data as JSON, in UTF-8 bytes (16 KiB). */
  eventDataBytes: 16_384,
  /** Names of drill steps. */
  stepNameLength: 100,
  /** Deployment environments, e.g. `production`. */
  environmentLength: 64,
  /** A deployed container image reference, by tag or by digest. */
  imageLength: 512,
  /** A deployment's description. */
  deploymentDescriptionLength: 2_000,
  /** The reason given for an on-call override. */
  reasonLength: 1_000,
  /** SLO names (a Prometheus label value). */
  sloNameLength: 128,
  /** Severity level ids, e.g. `SEV1`. */
  severityIdLength: 32,
  /** Values of one list filter given as repeated query parameters. */
  statusFilterValues: 4,
  severityFilterValues: 16,
  environmentFilterValues: 8,
  /** Page sizes of every list endpoint, and the length of a page cursor. */
  defaultPageSize: 50,
  maxPageSize: 500,
  cursorLength: 512,
  /**
   * The widest time window, in days, of the DORA figures and the deployment
   * list: the default of `ops.deployments.maxWindow`.
   */
  maxWindowDays: 366,
  /**
   * How far in the future, in milliseconds, a time that must be past (when a
   * deployment started, an incident was detected) may lie: clock skew.
   */
  futureToleranceMs: 86_400_000,
} as const;

/**
 * A severity level id, e.g. `SEV1`: the ids configured in
 * `ops.incidents.severities` and the `severity` of incidents.
 *
 * @public
 */
export const SEVERITY_ID_PATTERN = new RegExp(
  `^[A-Za-z0-9_-]{1,${RECORD_LIMITS.severityIdLength}}$`,
);

/**
 * Makes `text` fit a record: drops NUL bytes (the API refuses them, and
 * PostgreSQL cannot store them; a pg_restore or mysqldump log can carry one)
 * and cuts it to at most `limit` characters of {@link RECORD_LIMITS}.
 *
 * @public
 */
export function clip(text: string, limit: number): string {
  const storable = text.replaceAll('\u0000', '');
  return storable.length > limit ? storable.slice(0, limit) : storable;
}
