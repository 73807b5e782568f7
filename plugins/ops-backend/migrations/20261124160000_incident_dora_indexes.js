/*
 * GET /dora reads only the incidents its window can count: those of the
 * entities resolved in the window (time to restore) and those naming one of
 * the window's deployments as their cause (change failure rate). These
 * indexes let the database find them without scanning every incident of the
 * entities.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ops_incidents', table => {
    table.index(
      ['entity_ref', 'resolved_at'],
      'ops_incidents_entity_ref_resolved_at_idx',
    );
    table.index(['deployment_id'], 'ops_incidents_deployment_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ops_incidents', table => {
    table.dropIndex(
      ['entity_ref', 'resolved_at'],
      'ops_incidents_entity_ref_resolved_at_idx',
    );
    table.dropIndex(['deployment_id'], 'ops_incidents_deployment_id_idx');
  });
};
