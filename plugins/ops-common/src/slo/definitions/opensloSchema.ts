/**
 * The shapes of OpenSLO v1 `SLI` and `SLO` documents that OpsDeck reads.
 */
import { z } from 'zod';
import { metadataSchema, nameSchema } from './common';

const metricSourceSchema = z.object({
  type: z.string().optional(),
  metricSourceRef: z.string().optional(),
  spec: z.object({ query: z.string().min(1) }),
});

export const metricSchema = z.object({ metricSource: metricSourceSchema });

export const sliSpecSchema = z.object({
  description: z.string().optional(),
  thresholdMetric: metricSchema.optional(),
  ratioMetric: z
    .object({
      counter: z.boolean().optional(),
      good: metricSchema.optional(),
      bad: metricSchema.optional(),
      total: metricSchema.optional(),
      raw: z.unknown().optional(),
      rawType: z.unknown().optional(),
    })
    .optional(),
});

export type SliSpec = z.infer<typeof sliSpecSchema>;

export const openSloSliSchema = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLI'),
  metadata: metadataSchema,
  spec: sliSpecSchema,
});

export const objectiveSchema = z.object({
  displayName: z.string().optional(),
  op: z.enum(['lte', 'lt', 'gte', 'gt']).optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.union([z.string(), z.number()]).optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
});

export const openSloSloSchema = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLO'),
  metadata: metadataSchema,
  spec: z.object({
    description: z.string().optional(),
    service: nameSchema,
    indicator: z
      .object({ metadata: metadataSchema, spec: sliSpecSchema })
      .optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z
      .array(
        z.object({
          duration: z.string(),
          isRolling: z.boolean().optional(),
          calendar: z.unknown().optional(),
        }),
      )
      .min(1)
      .max(1, { message: 'OpsDeck evaluates one time window per SLO' }),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objectiveSchema).min(1),
  }),
});

export type OpenSloSlo = z.infer<typeof openSloSloSchema>;

export type Metric = z.infer<typeof metricSchema>;

export type Objective = z.infer<typeof objectiveSchema>;
