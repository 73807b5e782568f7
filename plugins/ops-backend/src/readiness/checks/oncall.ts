import { stringifyEntityRef } from '@backstage/catalog-model';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { OnCallService } from '../../oncall/OnCallService';

/**
 * "On-call schedule", live: the entity's on-call provider answers, and puts
 * a person on call now at the first escalation level.
 */
export function createOnCallCheck(options: {
  onCall: OnCallService;
}): ReadinessCheck {
  return {
    id: 'oncall',
    title: 'On-call schedule',
    documentationAnchor: 'oncall-schedule',
    async evaluate(entity, { credentials }) {
      const status = await options.onCall.getOnCall(
        stringifyEntityRef(entity),
        credentials,
      );
      if (status.provider === 'none') {
        return { status: 'missing', detail: status.messages.join('; ') };
      }
      if (status.state === 'unavailable') {
        return {
          status: 'missing',
          detail: `The ${
            status.provider
          } on-call provider did not answer: ${status.messages.join('; ')}`,
        };
      }
      const first = status.levels[0];
      if (!first?.current) {
        return {
          status: 'missing',
          detail: `Schedule ${status.schedule ?? ''} puts nobody on call now${
            status.messages.length ? `: ${status.messages.join('; ')}` : ''
          }`,
        };
      }
      const who = first.current.contact?.displayName ?? first.current.userRef;
      return {
        status: 'present',
        detail: `${who} is on call (${first.level}${
          status.schedule ? `, ${status.provider} ${status.schedule}` : ''
        })`,
      };
    },
  };
}

/**
 * The alert names of the entity's SLOs: the names of the alert policies of
 * its OpenSLO documents (`spec.alertPolicies`, by name or inline).
 */
