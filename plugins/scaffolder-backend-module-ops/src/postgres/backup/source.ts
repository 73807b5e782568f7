import { ScratchInstance } from '../scratch/scratchInstance';

/**
 * The backup a drill restores, described the same way whatever wrote it.
 *
 * @public
 */
export interface FoundBackup {
  /** What names the backup in its source: a pg_dump path, a pgBackRest label. */
  label: string;
  /** e.g. `pg_dump -Fd`, `pgBackRest full`. */
  type: string;
  /** The point in time the backup itself restores to (its snapshot, or its stop time). */
  stoppedAt: Date;
  /** Where `stoppedAt` was read from. */
  stoppedAtSource: string;
  /** The WAL segments the backup needs to be consistent, for a physical backup. */
  walRange?: { start: string; stop: string };
  /**
   * The newest point the source can restore to (the backup, or the newest
   * archived WAL after it): now minus this is the RPO exposure.
   */
  recoverableUntil: Date;
  recoverableUntilSource: string;
  /** The database the backup was taken of, when it says. */
  database?: string;
  /**
   * The dump a manifest of the backup's own snapshot may lie beside
   * (`<dump>.manifest.json`, written by OpsDeck's takeBackup or
   * `opsdeck-pg-dump`); absent for sources that keep none.
   */
  manifestBeside?: string;
  /** One line for the step's output and the report. */
  summary: string;
}

/** What a restore made of the scratch instance, for the verification. */
export interface RestoredCopy {
  /** The database to verify. */
  database: string;
  /** The role to read it as (a physical copy has the source's roles). */
  user?: string;
  /** One line for the step's output. */
  output: string;
}

/**
 * Where the backups of a target come from and how one is restored into a
 * scratch instance. The drill calls only this; a new kind of backup (Barman,
 * WAL-G) is one new file implementing it.
 *
 * @public
 */
export interface BackupSource {
  /** `pgdump`, `pgbackrest`, as in `backup.source`. */
  readonly kind: string;
  /** Whether the source restores to a requested time (`targetTime`). */
  readonly supportsTargetTime: boolean;
  /**
   * Whether the drill should wait for the restore's copy (see
   * `onFilesInPlace`) before it scans the live source for the comparison.
   * A physical restore's copy keeps every core the drill gave it busy
   * (pgBackRest's `--process-max`), so a scan on a source sharing the host
   * would slow the very restore whose time is the RTO; the recovery after it
   * is one process, leaving a core to the scan. A logical restore runs in the
   * scratch server with gaps, and the scan overlaps it from the start.
   */
  readonly readsSourceAfterCopy: boolean;
  /** One line saying where the backups are. */
  describe(): string;
  /** Absolute paths or names of the programs the source runs, checked before a drill. */
  programs(): string[];
  /** Reads only: the newest backup and what it restores to. */
  findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup>;
  /**
   * Makes the scratch instance ready for {@link BackupSource.restore}: a
   * started server for a logical restore, an empty data directory for a
   * physical one. Returns one line for the step's output.
   */
  prepareInstance(instance: ScratchInstance): Promise<string>;
  /** Restores the backup (or the requested time) into the instance and leaves it running. */
  restore(options: {
    backup: FoundBackup;
    instance: ScratchInstance;
    jobs: number;
    targetTime?: Date;
    signal?: AbortSignal;
    /** Called once the backup's files are in place and only the server's recovery remains. */
    onFilesInPlace?: () => void;
  }): Promise<RestoredCopy>;
  /** What `restore` would run, for a dry run. */
  describeRestore(options: {
    backup: FoundBackup;
    jobs: number;
    targetTime?: Date;
  }): string;
  /** Checks the repository's own integrity (e.g. `pgbackrest verify`); absent when the source has no such check or it is off. */
  verifyRepository?(options: {
    backup: FoundBackup;
    signal?: AbortSignal;
  }): Promise<string>;
}

/** Now minus the newest point the source can restore to, in whole seconds: the RPO exposure. */
export function rpoExposureSeconds(backup: FoundBackup, now: Date): number {
  return Math.max(
    0,
    Math.round((now.getTime() - backup.recoverableUntil.getTime()) / 1000),
  );
}
