import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Request } from 'express';

/** Who is calling: a user or another backend. */
export type Credentials = (req: Request) => Promise<BackstageCredentials>;

export function createCredentials(httpAuth: HttpAuthService): Credentials {
  return req => httpAuth.credentials(req, { allow: ['user', 'service'] });
}

/**
 * For calls from outside Backstage (Alertmanager, with an external access
 * token restricted to this plugin): the caller is checked, then the plugin
 * acts as itself, as the token may not reach the catalog.
 */
export function createServiceCredentials(
  httpAuth: HttpAuthService,
  auth: AuthService,
): Credentials {
  return async req => {
    await httpAuth.credentials(req, { allow: ['service'] });
    return auth.getOwnServiceCredentials();
  };
}
