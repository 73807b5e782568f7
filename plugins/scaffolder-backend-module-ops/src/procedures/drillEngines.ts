import { postgresDrillEngine } from '../postgres/drillEngine';
import { mysqlDrillEngine } from '../mysql/drillEngine';
import { DrillTarget } from '../targets';
import { DrillEngine } from './drillEngine';

export type { DrillTarget } from '../targets';

/** The engine that drills the target. */
export function drillEngineFor(target: DrillTarget): DrillEngine {
  return target.engine === 'mysql'
    ? mysqlDrillEngine(target)
    : postgresDrillEngine(target);
}
