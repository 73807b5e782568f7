/*
 * Post-mortems of incidents (one per incident, reviewed and published) and
 * the action items that come out of them. Times as in the init migration
 * (timestamptz at millisecond precision on PostgreSQL, epoch milliseconds on
 * SQLite); JSON as text. An action item's due date is a calendar day kept as
 * 'YYYY-MM-DD' text, which sorts as it reads on every database.
 */

/** @param {import('knex').Knex.CreateTableBuilder} table */
function time(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ops_postmortems', table => {
    table.comment('Post-mortems of incidents, one per incident');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table
      .string('incident_id', 36)
      .notNullable()
      .unique({ indexName: 'ops_postmortems_incident_id_uq' })
      .references('id')
      .inTable('ops_incidents')
      .onDelete('CASCADE');
    table
      .text('entity_ref')
      .notNullable()
      .comment("The incident's entity, copied for the lists");
    table
      .string('severity', 64)
      .notNullable()
      .comment("The incident's severity when the post-mortem started");
    table
      .string('status', 32)
      .notNullable()
      .comment('draft, in-review or published');
    table.text('title').notNullable();
    table.text('body').notNullable().comment('Markdown');
    table
      .integer('version')
      .notNullable()
      .comment('Incremented by every change (optimistic concurrency)');
    table.text('authors').notNullable().comment('JSON array of user refs');
    table.text('reviewers').notNullable().comment('JSON array of user refs');
    time(table, 'due_at')
      .nullable()
      .comment('When it must be published (SEV1/SEV2 only)');
    table.text('created_by').notNullable();
    time(table, 'created_at').notNullable();
    table.text('updated_by').notNullable();
    time(table, 'updated_at').notNullable();
    table.text('published_by').nullable();
    time(table, 'published_at').nullable();

    table.index(
      ['entity_ref', 'created_at'],
      'ops_postmortems_entity_ref_created_at_idx',
    );
    // The overdue scan: the unpublished ones with a due time.
    table.index(['status', 'due_at'], 'ops_postmortems_status_due_at_idx');
  });

  await knex.schema.createTable('ops_action_items', table => {
    table.comment('Action items of post-mortems');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table
      .string('postmortem_id', 36)
      .notNullable()
      .references('id')
      .inTable('ops_postmortems')
      .onDelete('CASCADE');
    table.text('entity_ref').notNullable();
    table.text('title').notNullable();
    table.text('owner_ref').notNullable().comment('User or group entity ref');
    table.string('due_date', 10).notNullable().comment('YYYY-MM-DD');
    table.string('status', 16).notNullable().comment('open or done');
    table.text('link').nullable();
    table.integer('version').notNullable();
    table.text('created_by').notNullable();
    time(table, 'created_at').notNullable();
    table.text('updated_by').notNullable();
    time(table, 'updated_at').notNullable();
    time(table, 'completed_at').nullable();

    table.index(['postmortem_id'], 'ops_action_items_postmortem_id_idx');
    table.index(
      ['entity_ref', 'status', 'due_date'],
      'ops_action_items_entity_ref_status_due_idx',
    );
    table.index(['status', 'due_date'], 'ops_action_items_status_due_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ops_action_items');
  await knex.schema.dropTable('ops_postmortems');
};
