/*
 * The container image a deployment put in place, as CI sends it: the link
 * from a recorded deployment to the Kubernetes revision running that image.
 * Optional; deployments recorded before have none.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ops_deployments', table => {
    table.string('image', 512).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ops_deployments', table => {
    table.dropColumn('image');
  });
};
