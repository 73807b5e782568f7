import { compareObjects } from '../../postgres/verification/rowCounts';
import { Verification } from '../../postgres/verification/tables';
import { MysqlObjects } from './outline';

const KINDS = [
  ['view', 'views'],
  ['routine', 'routines'],
  ['trigger', 'triggers'],
  ['event', 'events'],
] as const;

/**
 * Views, routines, triggers and events of the reference (the source, or the
 * backup's manifest) that the copy must carry: each missing one fails,
 * named ("trigger tasks_touch is missing from the restored copy").
 */
export function compareMysqlObjects(options: {
  reference: Pick<MysqlObjects, 'views' | 'routines' | 'triggers' | 'events'>;
  restored: MysqlObjects;
  against: 'source' | 'manifest';
}): Verification[] {
  const { reference, restored, against } = options;
  return KINDS.flatMap(([kind, list]) =>
    compareObjects({
      kind,
      reference: reference[list],
      restored: restored[list],
      against,
    }),
  );
}
