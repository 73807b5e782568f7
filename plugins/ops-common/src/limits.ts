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
  /** Labels on a record, and the length of one label value. */
  labels: 32,
  labelValueLength: 255,
  /** Page sizes of every list endpoint. */
  defaultPageSize: 50,
  maxPageSize: 500,
} as const;

/**
 * Cuts `text` to at most `limit` characters, so a record stays within
 * {@link RECORD_LIMITS}.
 *
 * @public
 */
export function clip(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}
