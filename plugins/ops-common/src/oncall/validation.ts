import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ONCALL_LEVELS, OnCallSchedule, WEEKDAYS } from './types';

const userRef = z
  .string()
  .regex(
    /^user:([A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._@-]*$/,
    'must be a User entity ref, e.g. user:default/jane.doe',
  );

const rotation = z
  .object({
    length: z.number().int().min(1).max(52).default(1),
    unit: z.enum(['weeks', 'days']).default('weeks'),
    handoffDay: z.enum(WEEKDAYS).optional(),
    handoffTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm, e.g. 09:00')
      .default('09:00'),
    timeZone: z
      .string()
      .refine(
        zone => IANAZone.isValidZone(zone),
        'must be an IANA time zone, e.g. Europe/Berlin',
      ),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  })
  .strict()
  .transform(value =>
    value.unit === 'weeks' && !value.handoffDay
      ? { ...value, handoffDay: 'monday' as const }
      : value,
  );

const layer = z
  .object({
    level: z.enum(ONCALL_LEVELS),
    participants: z.array(userRef).min(1).max(100),
    rotation: rotation.optional(),
    offset: z.number().int().min(0).max(100).optional(),
  })
  .strict();

/**
 * The body of a schedule: in config under `ops.oncall.schedules.<name>`, or
 * as `spec` of a schedule file.
 */
const scheduleSpec = z
  .object({
    rotation,
    layers: z
      .array(layer)
      .min(1)
      .max(ONCALL_LEVELS.length)
      .refine(
        layers => new Set(layers.map(l => l.level)).size === layers.length,
        'each level may appear once',
      ),
  })
  .strict();

const scheduleFile = z
  .object({
    apiVersion: z.literal('opsdeck.dev/v1alpha1'),
    kind: z.literal('OnCallSchedule'),
    metadata: z.object({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a slug'),
    }),
    spec: scheduleSpec,
  })
  .strict();

/**
 * A problem found in a schedule, with the path of the value at fault
 * (`['spec', 'layers', 0, 'participants', 2]`), so the reader can point at
 * its line.
 *
 * @public
 */
export interface OnCallScheduleProblem {
  path: Array<string | number>;
  message: string;
}

/** @public */
export type OnCallScheduleParseResult =
  | { schedule: OnCallSchedule; problems?: undefined }
  | { schedule?: undefined; problems: OnCallScheduleProblem[] };

function problemsOf(error: z.ZodError): OnCallScheduleProblem[] {
  return error.issues.map(issue => ({
    path: issue.path.map(p => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}

/**
 * Validates a schedule file (`kind: OnCallSchedule`).
 *
 * @public
 */
export function parseOnCallScheduleDocument(
  document: unknown,
): OnCallScheduleParseResult {
  const result = scheduleFile.safeParse(document);
  if (!result.success) {
    return { problems: problemsOf(result.error) };
  }
  return {
    schedule: { name: result.data.metadata.name, ...result.data.spec },
  };
}

/**
 * Validates the body of a schedule defined in config.
 *
 * @public
 */
export function parseOnCallScheduleSpec(
  name: string,
  spec: unknown,
): OnCallScheduleParseResult {
  const result = scheduleSpec.safeParse(spec);
  if (!result.success) {
    return { problems: problemsOf(result.error) };
  }
  return { schedule: { name, ...result.data } };
}
