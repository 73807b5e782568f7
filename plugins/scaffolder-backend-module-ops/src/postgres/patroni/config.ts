import { Config } from '@backstage/config';
import { ENV_NAME, invalid, readDurationSeconds } from '../configValues';

/**
 * One Patroni member as configured: its name in the cluster and its REST API.
 *
 * @public
 */
export interface PatroniMember {
  name: string;
  /** The REST API root, e.g. http://10.0.0.5:8008 */
  url: string;
}

/**
 * `ops.databases.<name>.failover.ha` of a Patroni-managed target: Patroni owns
 * promotion and fencing, OpsDeck asks it for a switchover.
 *
 * @public
 */
export interface PatroniSettings {
  type: 'patroni';
  members: PatroniMember[];
  /** Environment variables holding the REST API's basic-auth credentials. */
  usernameEnv?: string;
  passwordEnv?: string;
  /** How long to wait for the new leader and the old leader streaming again. */
  timeoutSeconds: number;
}

export const DEFAULT_PATRONI_TIMEOUT_SECONDS = 60;

// Patroni member names are free text in Patroni; these are the ones that
// survive a URL, a log line and a checkpoint key unquoted.
const MEMBER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function readEnvName(
  config: Config,
  key: string,
  fullKey: string,
): string | undefined {
  const name = config.getOptionalString(key);
  if (name !== undefined && !ENV_NAME.test(name)) {
    throw invalid(
      `${fullKey}.${key}`,
      `'${name}' is not an environment variable name (the variable holds the secret, the config only names it)`,
    );
  }
  return name;
}

/** Reads `<target>.failover.ha`; undefined when the target is not managed by an HA manager. */
export function readHaSettings(
  config: Config | undefined,
  key: string,
): PatroniSettings | undefined {
  if (!config) {
    return undefined;
  }
  const type = config.getOptionalString('type');
  if (type !== 'patroni') {
    throw invalid(
      `${key}.type`,
      `'${
        type ?? ''
      }' is not a supported HA manager; the only one is 'patroni'`,
    );
  }
  const memberConfigs = config.getOptionalConfigArray('members') ?? [];
  if (memberConfigs.length < 2) {
    throw invalid(
      `${key}.members`,
      'list at least two Patroni members ({ name, url } of each REST API)',
    );
  }
  const seen = new Set<string>();
  const members = memberConfigs.map((member, index) => {
    const memberKey = `${key}.members[${index}]`;
    const name = member.getString('name');
    if (!MEMBER_NAME.test(name)) {
      throw invalid(
        `${memberKey}.name`,
        `'${name}' is not a Patroni member name (letters, digits, '.', '_', '-')`,
      );
    }
    if (seen.has(name)) {
      throw invalid(`${memberKey}.name`, `'${name}' is listed twice`);
    }
    seen.add(name);
    const url = member.getString('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid(`${memberKey}.url`, `'${url}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw invalid(
        `${memberKey}.url`,
        `'${url}' is not an http(s) URL of Patroni's REST API`,
      );
    }
    if (parsed.username || parsed.password) {
      throw invalid(
        `${memberKey}.url`,
        'must not hold credentials: name their environment variables in usernameEnv and passwordEnv',
      );
    }
    return { name, url: url.replace(/\/+$/, '') };
  });
  const usernameEnv = readEnvName(config, 'usernameEnv', key);
  const passwordEnv = readEnvName(config, 'passwordEnv', key);
  if ((usernameEnv === undefined) !== (passwordEnv === undefined)) {
    throw invalid(
      `${key}.${usernameEnv === undefined ? 'usernameEnv' : 'passwordEnv'}`,
      'basic auth needs both usernameEnv and passwordEnv',
    );
  }
  return {
    type,
    members,
    usernameEnv,
    passwordEnv,
    timeoutSeconds: readDurationSeconds(
      config,
      'timeout',
      DEFAULT_PATRONI_TIMEOUT_SECONDS,
      key,
    ),
  };
}
