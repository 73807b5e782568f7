import { readFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * Where a file an annotation points at is: a URL for the UrlReader, or a path
 * on this machine's disk.
 */
export type EntityFile = { type: 'url' | 'file'; location: string };

/**
 * Resolves a file an annotation of the entity points at: a URL, or a path
 * relative to the entity's catalog file. Files next to a catalog file on disk
 * (a `file:` location, as in local development) are allowed only inside that
 * file's directory, since annotations are written by anyone who can register
 * an entity; everything else goes through the UrlReader, which enforces the
 * integrations and `backend.reading.allow`.
 */
export function resolveEntityFile(
  entity: Entity,
  reference: string,
): EntityFile {
  if (/^https?:\/\//.test(reference)) {
    return { type: 'url', location: reference };
  }
  const annotations = entity.metadata.annotations ?? {};
  const base =
    annotations[ANNOTATION_LOCATION] ?? annotations[ANNOTATION_ORIGIN_LOCATION];
  if (!base) {
    throw new InputError(
      `Cannot resolve '${reference}': the entity has no ${ANNOTATION_LOCATION}`,
    );
  }
  const { type, target } = parseLocationRef(base);
  if (type === 'url') {
    return { type: 'url', location: new URL(reference, target).toString() };
  }
  if (type === 'file') {
    const catalogFile = target.startsWith('file:')
      ? fileURLToPath(target)
      : target;
    const root = dirname(resolve(catalogFile));
    const file = resolve(root, reference);
    if (!file.startsWith(root + sep)) {
      throw new InputError(
        `'${reference}' is outside the directory of the catalog file ${catalogFile}`,
      );
    }
    return { type: 'file', location: file };
  }
  throw new InputError(`Cannot read '${reference}' from a ${type} location`);
}

/** The text of a resolved file. */
export async function readResolvedEntityFile(
  file: EntityFile,
  urlReader: UrlReaderService,
): Promise<string> {
  if (file.type === 'file') {
    return readFile(file.location, 'utf8');
  }
  return (await (await urlReader.readUrl(file.location)).buffer()).toString(
    'utf8',
  );
}

/** Resolves (see {@link resolveEntityFile}) and reads a file. */
export async function readEntityFile(
  entity: Entity,
  reference: string,
  urlReader: UrlReaderService,
): Promise<{ location: string; text: string }> {
  const file = resolveEntityFile(entity, reference);
  return {
    location: file.location,
    text: await readResolvedEntityFile(file, urlReader),
  };
}
