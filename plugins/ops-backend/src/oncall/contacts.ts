import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { UserEntity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnCallContact } from '@opsdeck/plugin-ops-common';

/**
 * Contact details of users from their User entities: display name and email
 * from `spec.profile`, a chat link from `metadata.links` (a link of type
 * `chat`, or with the `chat` icon), a phone number from a `tel:` link.
 */
export async function userContacts(
  userRefs: string[],
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Map<string, OnCallContact>> {
  const unique = [...new Set(userRefs)];
  const contacts = new Map<string, OnCallContact>();
  if (unique.length === 0) return contacts;
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: unique },
    { credentials },
  );
  items.forEach((entity, i) => {
    const user = entity as UserEntity | undefined;
    const links = user?.metadata.links ?? [];
    const chat = links.find(l => l.type === 'chat' || l.icon === 'chat');
    const phone = links.find(l => l.url.startsWith('tel:'));
    contacts.set(unique[i], {
      userRef: unique[i],
      displayName: user?.spec?.profile?.displayName,
      email: user?.spec?.profile?.email,
      chatUrl: chat?.url,
      phone: phone?.url.slice('tel:'.length),
    });
  });
  return contacts;
}
