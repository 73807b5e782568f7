/*
 * One override per person and slot: the same user taking the same level of
 * the same entity's schedule for the same start and end is one shift swap,
 * however many times (or however concurrently) it is posted. The second is
 * refused by the database, so two backend instances cannot both store it.
 *
 * Copies stored before this migration are removed first, keeping the one
 * created first, or the index could not be built.
 */

const COLUMNS = ['entity_ref', 'level', 'user_ref', 'starts_at', 'ends_at'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const duplicated = await knex('ops_oncall_overrides')
    .select(COLUMNS)
    .groupBy(COLUMNS)
    .havingRaw('count(*) > 1');
  for (const slot of duplicated) {
    const [, ...copies] = await knex('ops_oncall_overrides')
      .where(slot)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .pluck('id');
    await knex('ops_oncall_overrides').whereIn('id', copies).delete();
  }
  await knex.schema.alterTable('ops_oncall_overrides', table => {
    table.unique(COLUMNS, { indexName: 'ops_oncall_overrides_slot_idx' });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ops_oncall_overrides', table => {
    table.dropUnique(COLUMNS, 'ops_oncall_overrides_slot_idx');
  });
};
