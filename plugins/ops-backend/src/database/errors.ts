/**
 * A unique index or primary key refused the row: PostgreSQL's
 * unique_violation (23505), SQLite's SQLITE_CONSTRAINT_UNIQUE or
 * SQLITE_CONSTRAINT_PRIMARYKEY. Other constraint failures (NOT NULL, foreign
 * keys, checks) are not, so a caller never mistakes a bad row for a
 * concurrent writer.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? error.code
      : undefined;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
