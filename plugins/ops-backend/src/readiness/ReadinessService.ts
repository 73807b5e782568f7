import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ReadinessItem, ReadinessReport } from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { EntityAccess } from '../access/EntityAccess';

/** Evaluates the operational readiness checklist of catalog entities. */
export class ReadinessService {
  readonly #access: EntityAccess;
  readonly #logger: LoggerService;
  readonly #checks: ReadinessCheck[];
  readonly #documentationUrl: string;

  /**
   * @param checks - the checklist in order; a later check with the id of an
   *   earlier one replaces it in place.
   * @param documentationUrl - the annotation reference; items link to its anchors.
   */
  static create(options: {
    /** Reads the entity as the caller, remembered as every card's read is. */
    access: EntityAccess;
    logger: LoggerService;
    checks: ReadinessCheck[];
    documentationUrl: string;
  }) {
    const byId = new Map<string, ReadinessCheck>();
    for (const check of options.checks) {
      byId.set(check.id, check);
    }
    return new ReadinessService(
      options.access,
      options.logger,
      [...byId.values()],
      options.documentationUrl,
    );
  }

  private constructor(
    access: EntityAccess,
    logger: LoggerService,
    checks: ReadinessCheck[],
    documentationUrl: string,
  ) {
    this.#access = access;
    this.#logger = logger;
    this.#checks = checks;
    this.#documentationUrl = documentationUrl;
  }

  /**
   * The readiness of an entity, read with the caller's credentials: an entity
   * the caller cannot see is reported as not found.
   */
  async getReadiness(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ReadinessReport> {
    const entity = await this.#access.readableEntity(
      entityRef,
      options.credentials,
    );

    const items = await Promise.all(
      this.#checks.map(async (check): Promise<ReadinessItem> => {
        const documentationUrl = `${this.#documentationUrl}#${
          check.documentationAnchor
        }`;
        try {
          const result = await check.evaluate(entity, options);
          return {
            id: check.id,
            title: check.title,
            documentationUrl,
            ...result,
          };
        } catch (error) {
          this.#logger.warn(
            `Readiness check '${check.id}' failed for ${entityRef}: ${error}`,
          );
          return {
            id: check.id,
            title: check.title,
            documentationUrl,
            status: 'missing',
            detail: `Could not be checked: ${(error as Error).message}`,
          };
        }
      }),
    );

    return {
      entityRef: stringifyEntityRef(entity),
      items,
      present: items.filter(item => item.status === 'present').length,
      total: items.length,
    };
  }
}
