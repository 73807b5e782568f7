import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, UserEntity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnCallContact } from '@opsdeck/plugin-ops-common';

/** Reads entities by ref, leaving out those not found (or not readable). */
export type EntityReader = (refs: string[]) => Promise<Map<string, Entity>>;

/** An EntityReader asking the catalog each time, in one request. */
export function catalogEntityReader(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): EntityReader {
  return async refs => {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    return new Map(
      refs.flatMap((ref, i) => (items[i] ? [[ref, items[i]!] as const] : [])),
    );
  };
}

/**
 * Contact details of users from their User entities: display name and email
 * from `spec.profile`, a chat link from `metadata.links` (a link of type
 * `chat`, or with the `chat` icon), a phone number from a `tel:` link.
 */
export async function userContacts(
  userRefs: string[],
  readEntities: EntityReader,
): Promise<Map<string, OnCallContact>> {
  const unique = [...new Set(userRefs)];
  const contacts = new Map<string, OnCallContact>();
  if (unique.length === 0) return contacts;
  const users = await readEntities(unique);
  unique.forEach(userRef => {
    const user = users.get(userRef) as UserEntity | undefined;
    const links = user?.metadata.links ?? [];
    const chat = links.find(l => l.type === 'chat' || l.icon === 'chat');
    const phone = links.find(l => l.url.startsWith('tel:'));
    contacts.set(userRef, {
      userRef,
      displayName: user?.spec?.profile?.displayName,
      email: user?.spec?.profile?.email,
      chatUrl: chat?.url,
      phone: phone?.url.slice('tel:'.length),
    });
  });
  return contacts;
}
