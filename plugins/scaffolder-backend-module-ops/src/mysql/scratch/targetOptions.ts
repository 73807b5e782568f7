import { scratchServerUser } from '../../targets/basics';
import type { MysqlTarget } from '../target';
import type { MysqlScratchInstanceOptions } from './scratchInstance';

/**
 * The options of a target's scratch instances, for one drill run. The server
 * runs as `scratch.runAsUser` when the backend is root (mariadbd refuses
 * root), as the backend's own user otherwise.
 */
export function scratchOptionsFor(
  target: Pick<MysqlTarget, 'scratch'>,
  run: { prefix: string; signal?: AbortSignal },
): MysqlScratchInstanceOptions {
  const { binDir, server, workDir } = target.scratch;
  return {
    binDir,
    server,
    workDir,
    runAsUser: scratchServerUser(target),
    prefix: run.prefix,
    signal: run.signal,
  };
}
