import { Config } from '@backstage/config';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import { invalid } from '../postgres/configValues';
import { DatabaseTarget, readDatabaseTarget } from '../postgres/config';
import { MysqlTarget } from '../mysql/target';
import { readMysqlTarget } from '../mysql/config';

/**
 * A database target of any engine, from `ops.databases.<name>`.
 *
 * @public
 */
export type DrillTarget = DatabaseTarget | MysqlTarget;

/** The engines a target may name in `engine`. */
export const ENGINES = ['postgres', 'mysql'] as const;

/** Reads one target of whichever engine it names; throws naming the offending key. */
export function readDrillTarget(config: Config, name: string): DrillTarget {
  const engine = config.getOptionalString('engine') ?? 'postgres';
  switch (engine) {
    case 'postgres':
      return readDatabaseTarget(config, name);
    case 'mysql':
      return readMysqlTarget(config, name);
    default:
      throw invalid(
        `${DATABASES_CONFIG_KEY}.${name}.engine`,
        `'${engine}' is not one of ${ENGINES.map(e => `'${e}'`).join(
          ', ',
        )} (MariaDB targets are 'mysql')`,
      );
  }
}

/** The configured target of that name, of any engine, or undefined. */
export function findDrillTarget(
  config: Config,
  name: string,
): DrillTarget | undefined {
  const targets = config.getOptionalConfig(DATABASES_CONFIG_KEY);
  if (!targets?.has(name)) {
    return undefined;
  }
  return readDrillTarget(targets.getConfig(name), name);
}
