import { CleanupProof } from '../postgres/scratch/cleanupProof';
import { FoundBackup } from '../postgres/backup/source';
import { Verification } from '../postgres/verification/tables';

/**
 * What a backup-restore drill needs from a database engine. The drill's
 * procedure (SOP-01: steps, RTO, RPO refusal, failure kinds, cleanup
 * always, the record and its report) is the same for every engine and lives
 * in `backupDrillRun.ts`; an engine (PostgreSQL, MySQL/MariaDB) supplies
 * only how its backups are found, restored and verified.
 */
export interface DrillEngine {
  /** e.g. `PostgreSQL`, `MariaDB`: used in step outputs and refusals. */
  readonly displayName: string;
  /** Whether the backup source restores to a requested time (`targetTime`). */
  readonly supportsTargetTime: boolean;
  /**
   * The name of the optional integrity step (e.g. `Check integrity
   * (pg_amcheck)`); undefined when the target does not ask for one.
   */
  readonly integrityStep?: string;
  /**
   * Refuses, before anything is recorded or started, a drill that cannot
   * work on this backend: missing programs, a root backend without an
   * unprivileged user, an unset password variable, an unsupported input.
   */
  checkPrerequisites(options: {
    takeBackupFirst: boolean;
    targetTime?: Date;
  }): Promise<void>;
  /** Takes a fresh backup (and the manifest of its snapshot). */
  takeBackup(options: {
    jobs: number;
    signal?: AbortSignal;
  }): Promise<{ path: string; output: string }>;
  /** Reads only: the newest backup and what it restores to. */
  findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup>;
  /** Checks the repository's own integrity; absent when there is none or it is off. */
  verifyRepository?(options: {
    backup: FoundBackup;
    signal?: AbortSignal;
  }): Promise<string>;
  /** One line saying where the backups are, for a dry run. */
  describeBackups(): string;
  /** What the restore would run, for a dry run. */
  describeRestore(options: {
    backup: FoundBackup;
    jobs: number;
    targetTime?: Date;
  }): string;
  /**
   * Opens one drill of the backup. The session may start reading what the
   * copy is compared with (a manifest, the source's outline) at once, while
   * the instance is created and the backup restored.
   *
   * @param prefix - names the run's scratch directories, so that a retry of
   *   the same run finds what a crashed attempt left
   */
  openSession(options: {
    backup: FoundBackup;
    prefix: string;
    signal?: AbortSignal;
  }): DrillSession;
}

/** One drill's scratch instance and comparison; the runner calls each method at most once, in order. */
export interface DrillSession {
  /** Removes scratch instances an earlier attempt of the same run left; their proofs. */
  removeLeftovers(): Promise<CleanupProof[]>;
  /** Creates and starts the scratch instance; one line for the step. Counts in the RTO. */
  createInstance(): Promise<string>;
  /** Restores the backup (or the requested time) into it; one line for the step. Counts in the RTO. */
  restore(options: { jobs: number; targetTime?: Date }): Promise<string>;
  /** Verifies the restored copy; `output` is one line for the step. */
  verify(options: {
    targetTime?: Date;
  }): Promise<{ verification: Verification[]; output: string }>;
  /** The engine's integrity check of the copy (pg_amcheck, mariadb-check), when the target asks. */
  checkIntegrity?(options: {
    jobs: number;
  }): Promise<{ verification: Verification[]; output: string }>;
  /**
   * Always called, whatever happened: stops any reading still going on,
   * destroys the instance and proves nothing is left; undefined when no
   * instance was created.
   */
  close(): Promise<CleanupProof | undefined>;
}
