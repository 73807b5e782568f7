import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A user of the catalog, as the people pickers offer it. */
export interface UserOption {
  ref: string;
  label: string;
}

/** A user or group by the name people know it by, with its entity name. */
export function personLabel(entity: Entity): string {
  const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
  const name = profile.displayName ?? entity.metadata.title;
  return name ? `${name} (${entity.metadata.name})` : entity.metadata.name;
}

/** The catalog's users, by the name people know them by. */
export function userOptions(users: Entity[]): UserOption[] {
  return users
    .map(user => ({ ref: stringifyEntityRef(user), label: personLabel(user) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
}

/**
 * The option of `ref`: the catalog's, or one named after the ref for a user
 * the catalog no longer has (or the caller may not read), so that a value
 * already recorded stays shown.
 */
export function userOptionOf(ref: string, options: UserOption[]): UserOption {
  return (
    options.find(option => option.ref === ref) ?? {
      ref,
      label: parseEntityRef(ref, { defaultKind: 'user' }).name,
    }
  );
}

/**
 * The catalog's entities of `kinds` (users, groups) as a picker's options,
 * read once `wanted` (a dialog opens); an error when the app has no catalog,
 * which the picker shows.
 */
export function useCatalogPeople<T>(
  kinds: Array<'User' | 'Group'>,
  toOptions: (entities: Entity[]) => T[],
  wanted: boolean = true,
) {
  // Optional: an app without the catalog still shows the page.
  const catalogApi = useApiHolder().get(catalogApiRef);
  return useAsync(async (): Promise<T[]> => {
    if (!wanted) {
      return [];
    }
    if (!catalogApi) {
      throw new Error('this app has no catalog');
    }
    const { items } = await catalogApi.getEntities({
      filter: { kind: kinds },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return toOptions(items);
    // toOptions is a module-level function at every call site.
  }, [catalogApi, kinds.join(), wanted]);
}

/** The catalog's users as options, read once `wanted`. */
export const useCatalogUserOptions = (wanted: boolean) =>
  useCatalogPeople(['User'], userOptions, wanted);
