/**
 * The environment of the MariaDB/MySQL client programs: the backend's,
 * without the variables that would silently change where or how they
 * connect (`MYSQL_HOST`, `MYSQL_UNIX_PORT`, `MYSQL_TCP_PORT`, `MYSQL_PWD`,
 * `MARIADB_*`), which `--no-defaults` does not cover; with times in UTC
 * and untranslated messages.
 */
export function mysqlEnvironment(
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!/^(MYSQL|MARIADB)_/.test(name)) {
      env[name] = value;
    }
  }
  env.TZ = 'UTC';
  env.LC_MESSAGES = 'C';
  return env;
}
