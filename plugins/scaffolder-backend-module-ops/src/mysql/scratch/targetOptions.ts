import type { MysqlTarget } from '../target';
import type { MysqlScratchInstanceOptions } from './scratchInstance';

/**
 * The user the scratch server runs as: the target's `scratch.runAsUser`
 * when the backend is root (mariadbd refuses to run as root), none
 * otherwise (it runs as the backend's own user).
 */
export function mysqlScratchUser(
  target: Pick<MysqlTarget, 'scratch'>,
  uid: number | undefined = process.getuid?.(),
): string | undefined {
  return uid === 0 ? target.scratch.runAsUser : undefined;
}

/** The options of a target's scratch instances, for one drill run. */
export function scratchOptionsFor(
  target: Pick<MysqlTarget, 'scratch'>,
  run: { prefix: string; signal?: AbortSignal },
): MysqlScratchInstanceOptions {
  const { binDir, server, workDir } = target.scratch;
  return {
    binDir,
    server,
    workDir,
    runAsUser: mysqlScratchUser(target),
    prefix: run.prefix,
    signal: run.signal,
  };
}
