import { Drill } from '@opsdeck/plugin-ops-common';
import type { z as zod } from 'zod/v3';

/**
 * A drill's measured RTO and RPO against its objectives: met, missed, or
 * not measured (a drill that did not get as far, or a kind that measures
 * neither).
 */
export function objectivesVerdict(drill: Drill) {
  const verdict = (measured: number | undefined, objective: number) => {
    if (measured === undefined) return 'not-measured' as const;
    return measured <= objective ? ('met' as const) : ('missed' as const);
  };
  return {
    rto: verdict(drill.rtoSeconds, drill.objectives.rtoSeconds),
    rpo: verdict(drill.rpoSeconds, drill.objectives.rpoSeconds),
  };
}

export const objectivesVerdictOutput = (z: typeof zod) =>
  z
    .object({
      rto: z.enum(['met', 'missed', 'not-measured']),
      rpo: z.enum(['met', 'missed', 'not-measured']),
    })
    .describe(
      'Measured rtoSeconds and rpoSeconds against the drill objectives',
    );
