/*
 * On-call overrides (shift swaps) and the Alertmanager alert groups that
 * opened incidents.
 *
 * Times as in the init migration: `timestamp with time zone` at millisecond
 * precision on PostgreSQL, milliseconds since the epoch on SQLite.
 */

/** @param {import('knex').Knex.CreateTableBuilder} table */
function time(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ops_oncall_overrides', table => {
    table.comment('Someone takes over one level of an on-call schedule');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table.text('entity_ref').notNullable().comment('Whose schedule');
    table
      .string('level', 32)
      .notNullable()
      .comment('primary, secondary or engineering-manager');
    table.text('user_ref').notNullable().comment('Who is on call instead');
    time(table, 'starts_at').notNullable();
    time(table, 'ends_at').notNullable().comment('Exclusive');
    table.text('reason').nullable();
    table.text('created_by').notNullable();
    time(table, 'created_at').notNullable();

    table.index(['entity_ref', 'ends_at'], 'ops_oncall_overrides_entity_idx');
  });

  await knex.schema.createTable('ops_alert_groups', table => {
    table.comment(
      'Alertmanager groups and the incident each opened; one row per group and entity, so concurrent deliveries of a group open one incident',
    );
    table
      .string('key', 64)
      .primary()
      .notNullable()
      .comment('sha256 of the entity ref and the Alertmanager groupKey');
    table.text('group_key').notNullable();
    table.text('entity_ref').notNullable();
    table
      .string('incident_id', 36)
      .nullable()
      .references('id')
      .inTable('ops_incidents')
      .onDelete('CASCADE')
      .comment('Null while the incident is being opened');
    table
      .text('alerts')
      .notNullable()
      .comment('JSON object: alert fingerprint to firing or resolved');
    time(table, 'created_at').notNullable();
    time(table, 'updated_at').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ops_alert_groups');
  await knex.schema.dropTable('ops_oncall_overrides');
};
