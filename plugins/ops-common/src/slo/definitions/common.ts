/**
 * What the readers of both formats share: the result types, the name rules
 * and window limits, and how errors are located and formatted.
 */
import { z } from 'zod';
import type { SloDefinition, SloDefinitionError } from '../model';

/**
 * A file to read SLO definitions from; `path` only names it in messages.
 *
 * @public
 */
export interface SloSourceFile {
  path: string;
  content: string;
}

/**
 * The SLOs read from a set of files, and what was wrong with the rest.
 *
 * @public
 */
export interface SloDefinitionsResult {
  slos: SloDefinition[];
  errors: SloDefinitionError[];
}

/**
 * Formats a located error for people, as
 * `file:line:column (document N) path: message`.
 *
 * @public
 */
export function formatSloDefinitionError(error: SloDefinitionError): string {
  let where = error.file;
  if (error.line !== undefined) {
    where += `:${error.line}`;
    if (error.column !== undefined) {
      where += `:${error.column}`;
    }
  }
  if (error.documentIndex !== undefined) {
    where += ` (document ${error.documentIndex + 1})`;
  }
  return `${where}${error.path ? ` ${error.path}` : ''}: ${error.message}`;
}

// Names become Prometheus label values and rule group names: keep them to
// what OpenSLO (DNS labels) and Sloth accept, which is also label-safe.
export const NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,126}[A-Za-z0-9])?$/;
const NAME_MESSAGE =
  'must be 1-128 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

export const MIN_WINDOW_SECONDS = 7 * 24 * 3600;
export const MAX_SLICE_SECONDS = 5 * 60;

export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, { message: NAME_MESSAGE });

export const metadataSchema = z.object({
  name: nameSchema,
  displayName: z.string().optional(),
});

export type Path = (string | number)[];

export type Fail = (path: Path, message: string) => void;

export function optional<K extends string>(
  key: K,
  value: string | undefined,
): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
