/*
 * One exclusive drill per target at a time: a running drill created with
 * `exclusive` holds its target (the backup-restore drill and the failover of
 * a database take it), and the database refuses a second one, also when two
 * backend instances try at the same moment. The hold is released when the
 * drill stops running; the store aborts a holder that stopped writing (see
 * ops.drills.abandonAfter).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ops_drills', table => {
    table
      .boolean('holds_target')
      .notNullable()
      .defaultTo(false)
      .comment('While running, no other exclusive drill of the target may run');
  });
  await knex.schema.alterTable('ops_drills', table => {
    table.unique(['target'], {
      indexName: 'ops_drills_running_target_idx',
      predicate: knex.whereRaw("status = 'running' AND holds_target"),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ops_drills', table => {
    table.dropIndex(['target'], 'ops_drills_running_target_idx');
  });
  await knex.schema.alterTable('ops_drills', table => {
    table.dropColumn('holds_target');
  });
};
