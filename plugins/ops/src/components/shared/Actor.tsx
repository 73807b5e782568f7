import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

function userRefOf(actor: string): string | undefined {
  try {
    const ref = parseEntityRef(actor, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'user'
      ? `user:${ref.namespace}/${ref.name}`
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who did something: a link to the user in the catalog, or the name of the
 * service that did it (`plugin:scaffolder`) as is.
 */
export function Actor(props: { actor: string }) {
  const { actor } = props;
  const userRef = userRefOf(actor);
  return userRef ? (
    <EntityRefLink entityRef={userRef} hideIcon />
  ) : (
    <span>{actor}</span>
  );
}
