/*
 * The OpsDeck records: incidents with their append-only timelines, and drills
 * with their steps.
 *
 * Times are `timestamp with time zone` at millisecond precision on PostgreSQL
 * (what a JavaScript Date holds, so that a cursor built from a returned time
 * matches the stored one exactly); on SQLite they are stored as milliseconds
 * since the epoch, which is how knex binds a Date there. JSON is kept as text
 * so that the schema is the same on every database.
 */

/** @param {import('knex').Knex.CreateTableBuilder} table */
function time(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ops_incidents', table => {
    table.comment('Incidents of catalog entities');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table
      .text('entity_ref')
      .notNullable()
      .comment('The entity the incident is about');
    table.text('title').notNullable();
    table
      .string('severity', 64)
      .notNullable()
      .comment('A configured severity level id, e.g. SEV1');
    table
      .string('status', 32)
      .notNullable()
      .comment('open, investigating, mitigated or resolved');
    table.text('commander').nullable().comment('User entity ref');
    table.text('summary').nullable();
    time(table, 'detected_at').notNullable();
    time(table, 'started_at').nullable();
    time(table, 'mitigated_at').nullable();
    time(table, 'resolved_at').nullable();
    table.text('root_cause').nullable();
    table.text('postmortem_url').nullable();
    table.text('deployment_id').nullable();
    table.text('labels').notNullable().comment('JSON object of string values');
    table
      .integer('version')
      .notNullable()
      .comment('Incremented by every change (optimistic concurrency)');
    table.text('created_by').notNullable();
    time(table, 'created_at').notNullable();
    table.text('updated_by').notNullable();
    time(table, 'updated_at').notNullable();

    table.index(
      ['entity_ref', 'detected_at', 'id'],
      'ops_incidents_entity_ref_detected_at_idx',
    );
    table.index(['detected_at', 'id'], 'ops_incidents_detected_at_idx');
    table.index(['status'], 'ops_incidents_status_idx');
  });

  await knex.schema.createTable('ops_incident_events', table => {
    table.comment('The append-only timelines of incidents');
    table
      .bigIncrements('id')
      .comment('Also the order of events written at the same time');
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('ops_incidents')
      .onDelete('CASCADE');
    table
      .string('type', 32)
      .notNullable()
      .comment('created, status-changed, updated, note or action');
    table.text('message').notNullable();
    table.text('data').nullable().comment('JSON object');
    table.text('author').notNullable().comment('Entity ref of the author');
    time(table, 'created_at').notNullable();

    table.index(
      ['incident_id', 'created_at', 'id'],
      'ops_incident_events_incident_id_idx',
    );
  });

  await knex.schema.createTable('ops_drills', table => {
    table.comment('Recovery drills (backup restore, failover, rollback)');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table.text('entity_ref').notNullable();
    table
      .string('kind', 32)
      .notNullable()
      .comment('backup-restore, failover, rollback or other');
    table.text('target').notNullable().comment('What was drilled');
    table
      .string('status', 32)
      .notNullable()
      .comment('running, passed, failed or aborted');
    time(table, 'started_at').notNullable();
    time(table, 'finished_at').nullable();
    table.integer('rto_seconds').nullable().comment('Measured recovery time');
    table
      .integer('rpo_seconds')
      .nullable()
      .comment('Measured data-loss exposure');
    table.integer('objective_rto_seconds').notNullable();
    table.integer('objective_rpo_seconds').notNullable();
    table.text('verification').notNullable().comment('JSON array');
    table.text('report').nullable().comment('Markdown');
    table.text('triggered_by').notNullable();
    table.text('task_id').nullable().comment('The scaffolder task');
    table.integer('version').notNullable();
    time(table, 'created_at').notNullable();
    time(table, 'updated_at').notNullable();

    table.index(
      ['entity_ref', 'started_at', 'id'],
      'ops_drills_entity_ref_started_at_idx',
    );
    table.index(['started_at', 'id'], 'ops_drills_started_at_idx');
  });

  await knex.schema.createTable('ops_drill_steps', table => {
    table.comment('The steps of drills, in the order they were first written');
    table
      .string('drill_id', 36)
      .notNullable()
      .references('id')
      .inTable('ops_drills')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.text('name').notNullable();
    table
      .string('status', 32)
      .notNullable()
      .comment('running, succeeded, failed or skipped');
    time(table, 'started_at').notNullable();
    time(table, 'finished_at').nullable();
    table.text('output').nullable();

    table.unique(['drill_id', 'name'], {
      indexName: 'ops_drill_steps_drill_id_name_idx',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ops_drill_steps');
  await knex.schema.dropTable('ops_drills');
  await knex.schema.dropTable('ops_incident_events');
  await knex.schema.dropTable('ops_incidents');
};
