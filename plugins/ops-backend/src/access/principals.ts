import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';

/**
 * The groups of routes made for a service principal. Every other route is for
 * users (and the plugin's own modules) only.
 *
 * - `deployments`: `POST /deployments`, for CI (a static external access token);
 * - `alertmanager`: `POST /alerts/alertmanager`, for Alertmanager;
 * - `drills`: the drill records, for the scaffolder module's scheduled
 *   backup drills, which run with the scaffolder's own credentials;
 * - `metrics`: `GET /metrics`, for a Prometheus scraper's token (unless
 *   `ops.metrics.allowUnauthenticated` lets it scrape without one).
 */
export type ServiceRoutes =
  | 'deployments'
  | 'alertmanager'
  | 'drills'
  | 'metrics';

/** The service subjects allowed on each group of routes (`ops.principals`). */
export type ServicePrincipals = Record<ServiceRoutes, string[]>;

/**
 * The plugin's own modules (the example records, anything registered with
 * pluginId `ops`) call the API as `plugin:ops`: they are the plugin.
 */
const OWN_SUBJECT = 'plugin:ops';

/** The scaffolder module's scheduled drills, unless config says otherwise. */
const DEFAULT_DRILL_SUBJECTS = ['plugin:scaffolder'];

/**
 * `ops.principals`: which service subjects (the `subject` of a static
 * external access token, or `plugin:<id>` of another backend plugin calling
 * with its own credentials) may call the routes made for them.
 */
export function readServicePrincipals(config: Config): ServicePrincipals {
  refuseTokensPosingAsPlugins(config);
  const subjects = (key: ServiceRoutes, fallback: string[] = []) =>
    config.getOptionalStringArray(`ops.principals.${key}`) ?? fallback;
  return {
    deployments: subjects('deployments'),
    alertmanager: subjects('alertmanager'),
    drills: subjects('drills', DEFAULT_DRILL_SUBJECTS),
    metrics: subjects('metrics'),
  };
}

/**
 * Throws when a static or legacy external access token
 * (`backend.auth.externalAccess`) has a subject of the form `plugin:<id>`.
 * Backstage takes such a token's subject as it is written, so its callers
 * would arrive as that backend plugin: as `plugin:ops` they could call every
 * route as the plugin itself, as `plugin:scaffolder` record drills. JWKS
 * tokens are safe: Backstage prefixes their subjects with `external:`.
 */
function refuseTokensPosingAsPlugins(config: Config) {
  const tokens =
    config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  tokens.forEach((token, index) => {
    const type = token.getOptionalString('type');
    const subject = token.getOptionalString('options.subject');
    if (
      (type === 'static' || type === 'legacy') &&
      subject?.startsWith('plugin:')
    ) {
      throw new Error(
        `Invalid backend.auth.externalAccess[${index}]: the ${type} token's subject '${subject}' would pass for a backend plugin, which OpsDeck trusts as itself (plugin:ops) or by ops.principals; give the token a subject of its own, not plugin:<id>, and list that in ops.principals`,
      );
    }
  });
}

/**
 * Resolves when the caller may use a route of `routes` (undefined: a route
 * for users only). Users always may (the permission policy decides what they
 * can change); a service only when its subject is configured for those
 * routes, since Backstage's permission client allows every service principal
 * before a policy runs. Otherwise a NotAllowedError (403) naming the key.
 */
export function checkServicePrincipal(
  credentials: BackstageCredentials,
  principals: ServicePrincipals,
  routes?: ServiceRoutes,
): void {
  const principal = credentials.principal as {
    type: string;
    subject?: string;
  };
  if (principal.type !== 'service') {
    return;
  }
  const subject = principal.subject ?? '';
  if (subject === OWN_SUBJECT) {
    return;
  }
  if (routes && principals[routes].includes(subject)) {
    return;
  }
  throw new NotAllowedError(
    routes
      ? `The service '${subject}' may not call this route: it is not listed in ops.principals.${routes}`
      : `The service '${subject}' may not call this route: it is for users; services may call only the routes ops.principals names them for`,
  );
}
