import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Who did it, as written into records: a user entity ref, or `plugin:<id>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' };
  switch (principal.type) {
    case 'user':
      return principal.userEntityRef;
    case 'service':
      return principal.subject;
    default:
      return 'anonymous';
  }
}
