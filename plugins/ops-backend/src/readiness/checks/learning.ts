import { stringifyEntityRef } from '@backstage/catalog-model';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import {
  describeOverdueLearning,
  findOverdueLearning,
  isEmpty,
  OverdueLearningSources,
} from '../../postmortems/overdueLearning';

/**
 * "Learning from incidents": every SEV1/SEV2 incident of the service has a
 * post-mortem published in time (`ops.postmortems.dueBusinessDays`), and no
 * action item of its post-mortems is past its due date.
 */
export function createLearningCheck(
  sources: OverdueLearningSources & { now?: () => Date },
): ReadinessCheck {
  return {
    id: 'learning',
    title: 'Learning from incidents',
    documentationAnchor: 'postmortems',
    async evaluate(entity) {
      const overdue = await findOverdueLearning(
        sources,
        stringifyEntityRef(entity),
        sources.now?.() ?? new Date(),
      );
      if (isEmpty(overdue)) {
        return {
          status: 'present',
          detail: `Post-mortems of ${sources.options.dueSeverities.join(
            '/',
          )} incidents published within ${
            sources.options.dueBusinessDays
          } business days, and no action item overdue`,
        };
      }
      return {
        status: 'missing',
        detail: `Overdue: ${describeOverdueLearning(overdue)}.`,
      };
    },
  };
}
