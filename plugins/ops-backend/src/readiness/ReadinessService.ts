import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ReadinessItem, ReadinessReport } from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';

/** Evaluates the operational readiness checklist of catalog entities. */
export class ReadinessService {
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #checks: ReadinessCheck[];
  readonly #documentationUrl: string;

  /**
   * @param checks - the checklist in order; a later check with the id of an
   *   earlier one replaces it in place.
   * @param documentationUrl - the annotation reference; items link to its anchors.
   */
  static create(options: {
    catalog: CatalogService;
    logger: LoggerService;
    checks: ReadinessCheck[];
    documentationUrl: string;
  }) {
    const byId = new Map<string, ReadinessCheck>();
    for (const check of options.checks) {
      byId.set(check.id, check);
    }
    return new ReadinessService(
      options.catalog,
      options.logger,
      [...byId.values()],
      options.documentationUrl,
    );
  }

  private constructor(
    catalog: CatalogService,
    logger: LoggerService,
    checks: ReadinessCheck[],
    documentationUrl: string,
  ) {
    this.#catalog = catalog;
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
    const entity = await this.#catalog.getEntityByRef(entityRef, options);
    if (!entity) {
      throw new NotFoundError(`No entity found for ref '${entityRef}'`);
    }

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
