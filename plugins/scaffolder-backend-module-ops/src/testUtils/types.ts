// The types the test utilities' signatures name.
export type {
  Acknowledged,
  AppLogin,
  ServerFinder,
  WriterResult,
} from './ledgerWriter';
export type { BackupFormat, DatabaseTarget } from '../postgres/config';
export type {
  BackupSettings,
  PgBackRestBackupSettings,
  PgDumpBackupSettings,
} from '../postgres/backupConfig';
export type { BackupInfo } from '../postgres/backup/discovery';
export type {
  Checkpoint,
  DrillRecordClient,
} from '../procedures/recordedDrill';
export type { CleanupProof } from '../postgres/scratch/cleanupProof';
export type { ClusterNode } from './replicatedCluster';
export type {
  DrillUpdate,
  EventWrite,
  IncidentUpdate,
  RecordedCall,
  StepWrite,
} from './RecordingOpsClient';
export type { ExecutedDrill } from '../procedures/backupDrill';
export type { ScratchInstanceOptions } from '../postgres/scratch/scratchInstance';
export type { BackupCandidate } from '../postgres/backup/discovery';
export type {
  DatabaseEndpoint,
  DrillSchedule,
  SqlCheck,
  TargetBasics,
} from '../postgres/config';
export type { DrillTarget } from '../targets';
export type {
  MysqlTarget,
  MysqlBackupSettings,
  MysqlStableRows,
} from '../mysql/target';
export type { DrillOutcome } from '../procedures/judgement';
export type { FailoverSettings } from '../postgres/failoverConfig';
export type {
  StableRows,
  VerificationSettings,
} from '../postgres/verificationConfig';
export type {
  ConnectionFile,
  FenceMethod,
  PgBouncerRepoint,
} from '../postgres/failoverConfig';
export type {
  PatroniMember,
  PatroniSettings,
} from '../postgres/patroni/config';
