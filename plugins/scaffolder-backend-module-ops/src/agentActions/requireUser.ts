import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/**
 * The plans are for users: their checks are the user's permissions on the
 * entity, and Backstage's permission client allows every service principal
 * before a policy runs, so a service (a static token through the MCP server)
 * would pass them all. Refused with what to do instead.
 */
export function requireUser(
  credentials: BackstageCredentials,
  tool: string,
): BackstageCredentials {
  const principal = credentials.principal as { type: string };
  if (principal.type !== 'user') {
    throw new NotAllowedError(
      `${tool} plans for a signed-in user, under their permissions on the service; sign the MCP client in as a user (OAuth) instead of with a service token`,
    );
  }
  return credentials;
}
