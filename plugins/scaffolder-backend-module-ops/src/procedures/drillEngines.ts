import { postgresDrillEngine } from '../postgres/drillEngine';
import { DrillTarget } from '../targets';
import { DrillEngine } from './drillEngine';

export type { DrillTarget } from '../targets';

/** The engine that drills the target. */
export function drillEngineFor(target: DrillTarget): DrillEngine {
  if (target.engine !== 'postgres') {
    throw new Error(`No drill engine for ${target.engine} targets`);
  }
  return postgresDrillEngine(target);
}
