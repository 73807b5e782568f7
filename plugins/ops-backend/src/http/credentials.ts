import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Request } from 'express';
import {
  checkServicePrincipal,
  ServicePrincipals,
  ServiceRoutes,
} from '../access/principals';

/** Who is calling: a user or another backend. */
export type Credentials = (req: Request) => Promise<BackstageCredentials>;

/**
 * The caller's credentials on a route of `routes` (undefined: a route for
 * users): users, and the services `ops.principals` names for those routes;
 * any other service is refused with 403 (see checkServicePrincipal).
 */
export function createCredentials(
  httpAuth: HttpAuthService,
  principals: ServicePrincipals,
  routes?: ServiceRoutes,
): Credentials {
  return async req => {
    // The metrics may be open to unauthenticated scrapers: the plugin's
    // auth policy (ops.metrics.allowUnauthenticated) decides before this.
    const credentials = await httpAuth.credentials(req, {
      allow:
        routes === 'metrics'
          ? ['user', 'service', 'none']
          : ['user', 'service'],
    });
    checkServicePrincipal(credentials, principals, routes);
    return credentials;
  };
}

/**
 * For calls from outside Backstage (Alertmanager, with an external access
 * token restricted to this plugin): the caller must be one of the services
 * `ops.principals.alertmanager` names, then the plugin acts as itself, as the
 * token may not reach the catalog.
 */
export function createServiceCredentials(
  httpAuth: HttpAuthService,
  auth: AuthService,
  principals: ServicePrincipals,
): Credentials {
  return async req => {
    const caller = await httpAuth.credentials(req, { allow: ['service'] });
    checkServicePrincipal(caller, principals, 'alertmanager');
    return auth.getOwnServiceCredentials();
  };
}
