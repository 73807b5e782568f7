import {
  DrillKind,
  DrillStatus,
  DrillStepStatus,
} from '@opsdeck/plugin-ops-common';

export const DRILL_KIND_LABELS: Record<DrillKind, string> = {
  'backup-restore': 'Backup restore',
  failover: 'Failover',
  rollback: 'Rollback',
  other: 'Other',
};

export const DRILL_STATUS_COLORS: Record<DrillStatus, string> = {
  passed: '#2e7d32',
  failed: '#c62828',
  running: '#1565c0',
  aborted: '#616161',
};

export const DRILL_STEP_STATUS_COLORS: Record<DrillStepStatus, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  running: '#1565c0',
  skipped: '#616161',
};
