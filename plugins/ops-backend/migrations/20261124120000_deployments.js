/*
 * Deployment events of catalog entities: posted by CI, or recorded by the
 * rollback action. Times follow the init migration (timestamp with time zone
 * at millisecond precision; milliseconds since the epoch on SQLite).
 */

/** @param {import('knex').Knex.CreateTableBuilder} table */
function time(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ops_deployments', table => {
    table.comment('Deployments of catalog entities to their environments');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table.text('entity_ref').notNullable();
    table
      .string('environment', 64)
      .notNullable()
      .comment('e.g. production; DORA counts the production ones');
    table.string('version', 255).notNullable();
    table.string('commit_sha', 64).nullable();
    time(table, 'commit_time')
      .nullable()
      .comment('When the deployed change was committed (lead time)');
    time(table, 'started_at').notNullable();
    time(table, 'finished_at').nullable();
    table
      .string('status', 32)
      .notNullable()
      .comment('succeeded, failed, or rolled-back (the rollback itself)');
    table.text('url').nullable();
    table.text('description').nullable();
    table.text('created_by').notNullable().comment('User or service');
    time(table, 'created_at').notNullable();
    table.index(['entity_ref', 'started_at'], 'ops_deployments_entity_idx');
    table.index(['started_at'], 'ops_deployments_started_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ops_deployments');
};
