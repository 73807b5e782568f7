// What a mysqldump / mariadb-dump file says about itself, in its first and
// last lines. Typical head and tail:
//
//   /*M!999999\- enable the sandbox mode */
//   -- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
//   --
//   -- Host: localhost    Database: tasks
//   ...
//   -- Dump completed on 2026-12-03  4:50:12

/** @public */
export type DumpProgram = 'mariadb-dump' | 'mysqldump';

const PROGRAM_OF_WRITER: Record<string, DumpProgram> = {
  MariaDB: 'mariadb-dump',
  MySQL: 'mysqldump',
};

/** What the head of a dump says. */
export interface DumpHead {
  program?: DumpProgram;
  /** The database of a single-database dump (empty for `--all-databases`). */
  database?: string;
  /** Whether the dump creates its databases itself (`--databases`, `--all-databases`). */
  createsDatabase: boolean;
}

/** Reads the program, the database and whether it creates its databases. */
export function parseDumpHead(head: string): DumpHead {
  const firstLines = head.split('\n', 5).join('\n');
  const writer = /^-- (MariaDB|MySQL) dump\b/m.exec(firstLines)?.[1];
  const program = writer ? PROGRAM_OF_WRITER[writer] : undefined;
  const database = /^-- Host: .*?\s+Database: (\S.*?)\s*$/m.exec(head)?.[1];
  return {
    program,
    database: database || undefined,
    createsDatabase: /^(CREATE DATABASE\b|-- Current Database: )/m.test(head),
  };
}

/**
 * The trailer's wall-clock time, `-- Dump completed on 2026-12-03  4:50:12`
 * (the hour is space-padded), as a Date in the backend's time zone. The
 * dump program writes the local time of the machine that ran it and no
 * zone: read this way, it is right when the dump ran in the backend's zone
 * (the usual case of a backup host in the same region). Absent when the
 * dump has no trailer (an unfinished dump, or `--skip-comments`) or it
 * carries no date (`--skip-dump-date`).
 */
export function parseDumpCompletedAt(tail: string): Date | undefined {
  const match =
    /^-- Dump completed on (\d{4})-(\d{2})-(\d{2}) +(\d{1,2}):(\d{2}):(\d{2})\s*$/m.exec(
      tail,
    );
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const completedAt = new Date(year, month - 1, day, hour, minute, second);
  return Number.isNaN(completedAt.getTime()) ? undefined : completedAt;
}
