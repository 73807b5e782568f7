import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnCallStatus } from '@opsdeck/plugin-ops-common';
import { catalogEntityReader, userContacts } from '../oncall/contacts';
import { MessageService } from './messages';

/** The part of OnCallService the notifications use. */
export interface OnCallSource {
  getOnCall(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<OnCallStatus>;
}

/** Who hears about an entity, and how it is named to them. */
export interface Audience {
  entity: Entity;
  service: MessageService;
  /** The person on call now at the primary level, when anyone is. */
  primary?: { userRef: string; displayName?: string };
  /** The entity (the notifications backend resolves its owners) and the primary. */
  entityRefs: string[];
}

/**
 * Finds the entity and its primary on-call person, as the plugin itself
 * (service credentials): a notification goes out whoever caused it.
 */
export class AudienceResolver {
  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      onCall: OnCallSource;
    },
  ) {}

  /** A person's display name from their User entity, when it has one. */
  async displayName(userRef: string): Promise<string | undefined> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const contacts = await userContacts(
      [userRef],
      catalogEntityReader(this.deps.catalog, credentials),
    );
    return contacts.get(userRef)?.displayName;
  }

  async resolve(entityRef: string): Promise<Audience> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const ref = stringifyEntityRef(entity);
    const status = await this.deps.onCall.getOnCall(ref, credentials);
    // The manuals' first responder: the level named primary, else the first.
    const level =
      status.levels.find(l => l.level === 'primary') ?? status.levels[0];
    const current = level?.current;
    const primary = current && {
      userRef: current.userRef,
      displayName: current.contact?.displayName,
    };
    return {
      entity,
      service: {
        entityRef: ref,
        displayName: entity.metadata.title ?? entity.metadata.name,
      },
      primary,
      entityRefs: primary ? [ref, primary.userRef] : [ref],
    };
  }
}
