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
 * Reads a file an annotation of the entity points at: a URL, or a path
 * relative to the entity's catalog file. Files next to a catalog file on disk
 * (a `file:` location, as in local development) are read only inside that
 * file's directory, since annotations are written by anyone who can register
 * an entity; everything else goes through the UrlReader, which enforces the
 * integrations and `backend.reading.allow`.
 */
export async function readEntityFile(
  entity: Entity,
  reference: string,
  urlReader: UrlReaderService,
): Promise<{ location: string; text: string }> {
  const readUrl = async (url: string) =>
    (await (await urlReader.readUrl(url)).buffer()).toString('utf8');
  if (/^https?:\/\//.test(reference)) {
    return { location: reference, text: await readUrl(reference) };
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
    const url = new URL(reference, target).toString();
    return { location: url, text: await readUrl(url) };
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
    return { location: file, text: await readFile(file, 'utf8') };
  }
  throw new InputError(`Cannot read '${reference}' from a ${type} location`);
}
