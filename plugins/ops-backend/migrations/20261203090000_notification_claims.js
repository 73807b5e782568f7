/*
 * Who sends a scheduled notification: the scheduled checks (error budget
 * low, drill overdue) run on every backend replica over time, and each may
 * find the same budget low in the same window. The replica whose row is
 * inserted first sends; the others' inserts are ignored by the primary key.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ops_notification_claims', table => {
    table.comment(
      'One row per scheduled notification sent, keyed by what and when',
    );
    // What was notified, e.g. error-budget:<entity>:<slo>.
    table.string('subject', 512).notNullable();
    // The start of the window it was notified for (ISO 8601 UTC).
    table.string('window_start', 32).notNullable();
    // A token of the replica that claimed it: read back, it tells each
    // replica whether its own insert won, on any database.
    table.string('claimed_by', 64).notNullable();
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['subject', 'window_start']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ops_notification_claims');
};
