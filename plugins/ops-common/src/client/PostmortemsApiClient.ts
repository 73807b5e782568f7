// openapi-fetch names its methods after the HTTP verbs (GET, POST, ...).
/* eslint-disable new-cap */
import type { Client } from 'openapi-fetch';
import type {
  ActionItem,
  ActionItemFilter,
  ChangePostmortemStatusRequest,
  CreateActionItemRequest,
  Postmortem,
  PostmortemFilter,
  UpdateActionItemRequest,
  UpdatePostmortemRequest,
} from '../postmortems';
import type { paths } from '../schema/generated/openapi';
import { toQuery } from './query';
import { dataOf } from './responses';
import type { OpsApiRequestOptions } from './types';

/** The base URL and credentials of one call, as OpsApiClient makes them. */
type CallInit = (options?: OpsApiRequestOptions) => Promise<{
  baseUrl: string;
  headers?: Record<string, string>;
}>;

/**
 * The post-mortem endpoints of the ops backend: `OpsApiClient.postmortems`.
 *
 * @remarks
 * Writes are refused with 403 outside the entity's owners, and with 409
 * (`ConflictError`) when the record changed since `version`.
 *
 * @public
 */
export class PostmortemsApiClient {
  readonly #client: Client<paths>;
  readonly #init: CallInit;

  /** @internal */
  constructor(client: Client<paths>, init: CallInit) {
    this.#client = client;
    this.#init = init;
  }

  /**
   * Starts the post-mortem of a mitigated or resolved incident, with a draft
   * written from its facts; 409 when it has one already.
   */
  async create(
    request: { incidentId: string },
    options?: OpsApiRequestOptions,
  ): Promise<Postmortem> {
    return dataOf(
      await this.#client.POST('/incidents/{id}/postmortem', {
        ...(await this.#init(options)),
        params: { path: { id: request.incidentId } },
      }),
    );
  }

  /** The incident's post-mortem; 404 when it has none. */
  async getByIncident(
    request: { incidentId: string },
    options?: OpsApiRequestOptions,
  ): Promise<Postmortem> {
    return dataOf(
      await this.#client.GET('/incidents/{id}/postmortem', {
        ...(await this.#init(options)),
        params: { path: { id: request.incidentId } },
      }),
    );
  }

  /** The post-mortems the caller may read, the newest incident first. */
  async list(
    request: PostmortemFilter = {},
    options?: OpsApiRequestOptions,
  ): Promise<{ items: Postmortem[] }> {
    const { overdue, ...filter } = request;
    return dataOf(
      await this.#client.GET('/postmortems', {
        ...(await this.#init(options)),
        params: {
          query: toQuery({
            ...filter,
            overdue: overdue === undefined ? undefined : String(overdue),
          }),
        },
      }),
    );
  }

  async get(
    request: { id: string },
    options?: OpsApiRequestOptions,
  ): Promise<Postmortem> {
    return dataOf(
      await this.#client.GET('/postmortems/{id}', {
        ...(await this.#init(options)),
        params: { path: { id: request.id } },
      }),
    );
  }

  /** Saves the text; 409 when it changed since `version`. */
  async update(
    request: { id: string } & UpdatePostmortemRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Postmortem> {
    const { id, ...body } = request;
    return dataOf(
      await this.#client.PUT('/postmortems/{id}', {
        ...(await this.#init(options)),
        params: { path: { id } },
        body,
      }),
    );
  }

  /** draft → in-review → published, or in-review → draft. */
  async changeStatus(
    request: { id: string } & ChangePostmortemStatusRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Postmortem> {
    const { id, ...body } = request;
    return dataOf(
      await this.#client.POST('/postmortems/{id}/status', {
        ...(await this.#init(options)),
        params: { path: { id } },
        body,
      }),
    );
  }

  /** The markdown file (YAML front matter and body) to commit to TechDocs. */
  async exportMarkdown(
    request: { id: string },
    options?: OpsApiRequestOptions,
  ): Promise<string> {
    return dataOf(
      await this.#client.GET('/postmortems/{id}/markdown', {
        ...(await this.#init(options)),
        params: { path: { id: request.id } },
        parseAs: 'text',
      }),
    ) as string;
  }

  async addActionItem(
    request: { postmortemId: string } & CreateActionItemRequest,
    options?: OpsApiRequestOptions,
  ): Promise<ActionItem> {
    const { postmortemId, ...body } = request;
    return dataOf(
      await this.#client.POST('/postmortems/{id}/action-items', {
        ...(await this.#init(options)),
        params: { path: { id: postmortemId } },
        body,
      }),
    );
  }

  /** Action items, the overdue ones first, then by due date. */
  async listActionItems(
    request: ActionItemFilter = {},
    options?: OpsApiRequestOptions,
  ): Promise<{ items: ActionItem[] }> {
    return dataOf(
      await this.#client.GET('/action-items', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** Closes, reopens or edits an action item; 409 when it changed since `version`. */
  async updateActionItem(
    request: { id: string } & UpdateActionItemRequest,
    options?: OpsApiRequestOptions,
  ): Promise<ActionItem> {
    const { id, ...body } = request;
    return dataOf(
      await this.#client.PATCH('/action-items/{id}', {
        ...(await this.#init(options)),
        params: { path: { id } },
        body,
      }),
    );
  }
}
