import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where an entity's SLO documents were read from, and their text. */
export interface SloDocumentText {
  location: string;
  text: string;
}

/** Documents larger than this are refused rather than parsed. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * Reads the documents `opsdeck.dev/openslo` points at: a URL, or a path
 * relative to the catalog file the entity was read from.
 *
 * URLs and paths next to `url:` catalog locations go through Backstage's
 * UrlReader, so only hosts the integrations (or `backend.reading.allow`)
 * permit are ever read. `file:` catalog locations (local development, the
 * examples) have no UrlReader: the file is read from disk, and only from the
 * catalog file's own directory tree, so an annotation cannot read arbitrary
 * files of the backend host.
 */
export class SloDocumentReader {
  constructor(private readonly urlReader: UrlReaderService) {}

  /** The annotation's target, or undefined when the entity has none. */
  target(entity: Entity): string | undefined {
    return (
      entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.openslo]?.trim() ||
      undefined
    );
  }

  async read(entity: Entity): Promise<SloDocumentText> {
    const target = this.target(entity);
    if (!target) {
      throw new NotFoundError(
        `The entity has no ${OPSDECK_ANNOTATIONS.openslo} annotation`,
      );
    }
    if (/^https?:\/\//.test(target)) {
      return this.#readUrl(target);
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || path.isAbsolute(target)) {
      throw new InputError(
        `${OPSDECK_ANNOTATIONS.openslo} must be an http(s) URL or a path relative to the catalog file, got '${target}'`,
      );
    }
    // Relative to the file the entity itself was read from (not the origin
    // location that discovered it).
    const own = entity.metadata.annotations?.[ANNOTATION_LOCATION];
    if (!own) {
      throw new InputError(
        `${OPSDECK_ANNOTATIONS.openslo} is a relative path, but the entity has no ${ANNOTATION_LOCATION} to resolve it against`,
      );
    }
    const { type, target: catalogFile } = parseLocationRef(own);
    if (type === 'url') {
      return this.#readUrl(new URL(target, catalogFile).toString());
    }
    if (type === 'file') {
      return this.#readFile(catalogFile, target);
    }
    throw new InputError(
      `Cannot resolve ${OPSDECK_ANNOTATIONS.openslo} '${target}' against a '${type}' catalog location`,
    );
  }

  async #readUrl(url: string): Promise<SloDocumentText> {
    const response = await this.urlReader.readUrl(url);
    const buffer = await response.buffer();
    if (buffer.length > MAX_DOCUMENT_BYTES) {
      throw new InputError(
        `${url} is larger than ${MAX_DOCUMENT_BYTES} bytes; refusing to parse it`,
      );
    }
    return { location: url, text: buffer.toString('utf8') };
  }

  async #readFile(
    catalogFile: string,
    target: string,
  ): Promise<SloDocumentText> {
    const directory = path.dirname(path.resolve(catalogFile));
    const file = path.resolve(directory, target);
    if (!file.startsWith(`${directory}${path.sep}`)) {
      throw new InputError(
        `${OPSDECK_ANNOTATIONS.openslo} '${target}' leaves the directory of the catalog file; keep the SLO documents beside or below it`,
      );
    }
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      throw new NotFoundError(
        `${OPSDECK_ANNOTATIONS.openslo} points at ${target}, which does not exist beside the entity's catalog file`,
      );
    }
    // Named as the catalog names it, relative to the catalog file: the
    // backend's own directories are nobody's business in the UI.
    const location = path.relative(directory, file);
    if (stat.size > MAX_DOCUMENT_BYTES) {
      throw new InputError(
        `${location} is larger than ${MAX_DOCUMENT_BYTES} bytes; refusing to parse it`,
      );
    }
    return { location, text: await fs.readFile(file, 'utf8') };
  }
}
