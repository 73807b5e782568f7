export type {
  CreateOnCallOverrideRequest,
  OnCallContact,
  OnCallLevel,
  OnCallLayer,
  OnCallLevelStatus,
  OnCallOverride,
  OnCallRotation,
  OnCallSchedule,
  OnCallShift,
  OnCallState,
  OnCallStatus,
  Weekday,
} from './types';
export { ONCALL_LEVELS, ONCALL_STATES, WEEKDAYS } from './types';
export type { OnCallEligibility } from './schedule';
export { scheduleOnCall } from './schedule';
export type {
  OnCallScheduleParseResult,
  OnCallScheduleProblem,
} from './validation';
export {
  parseOnCallScheduleDocument,
  parseOnCallScheduleSpec,
} from './validation';
