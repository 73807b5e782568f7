/**
 * Where the backend keeps its files is nobody's business in the UI: a drill's
 * report, its steps and its task log are read by everyone who can see the
 * entity. A backup is named by its file name (a pgBackRest label has no
 * path), and the drill's temporary directories are not named at all.
 */

// Directories the drill makes for itself in scratch.workDir, as they are
// named by scratch/scratchInstance.ts (scratchPrefix, then mkdtemp's six
// characters), backup/pgBackRestWal.ts and scratch/templateCluster.ts:
// temporary, and meaningless to a reader. Exact shapes, so that a backup
// directory that merely starts alike keeps its name.
const SCRATCH_SEGMENT =
  /^(opsdeck-drill-[0-9a-f]{12}-[\w]{6}|opsdeck-wal-[\w]{6}|opsdeck-template-.+)$/;

// An absolute path: a slash not preceded by a word character, a colon, a dot
// or another slash (so not `a/b`, `1/2`, `./x` or a URL's `//host/path`),
// then one or more segments.
const ABSOLUTE_PATH = /(?<![\w:./~-])\/(?:[\w.@+~-]+\/)*[\w.@+~-]+\/?/g;

/** `/var/backups/orders/orders.dump` is `orders.dump`; a scratch path is `the scratch directory`. */
function describePath(absolute: string): string {
  const segments = absolute.split('/').filter(Boolean);
  if (segments.some(segment => SCRATCH_SEGMENT.test(segment))) {
    return 'the scratch directory';
  }
  return segments[segments.length - 1];
}

/** The text with every absolute path replaced by its file name, or by `the scratch directory`. */
export function withoutServerPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, describePath);
}

/**
 * The text as one line without server paths: how every recorded output and
 * report cell shows it (the Drills card and the report are read by anyone
 * who can see the entity, and a table cell or step output is one line).
 */
export function oneReadableLine(text: string): string {
  return withoutServerPaths(text)
    .replace(/\s*\r?\n\s*/g, ' ')
    .trim();
}
