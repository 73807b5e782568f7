import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The entity reference an agent gave, completed as OpsDeck's own tools do
 * ("payments-api" is component:default/payments-api); a malformed one is an
 * InputError naming it, not a failure of the catalog call.
 */
export function serviceRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${ref}': give kind:namespace/name or a component's name, e.g. component:default/payments-api`,
    );
  }
}
