/**
 * Reads SLO definitions from YAML: OpenSLO v1 (`kind: SLO`, with an inline
 * indicator or an `indicatorRef` to a `kind: SLI` document of the same file
 * set) and Sloth `prometheus/v1` specs. The result is the normalized
 * {@link SloDefinition} model plus located errors; nothing here throws on bad
 * input, and one broken document does not hide the good ones.
 *
 * Pure (no I/O, no Node built-ins): it runs in the backend and the browser.
 */
import { parsePromDuration } from '../duration';
import type { SloDefinition, SloDefinitionError } from '../model';
import {
  MIN_WINDOW_SECONDS,
  SloDefinitionsResult,
  SloSourceFile,
} from './common';
import { openSloDefinitions } from './openslo';
import { openSloSliSchema, openSloSloSchema, SliSpec } from './opensloSchema';
import {
  slothDefinitions,
  slothSpecSchema,
  SLOTH_DEFAULT_WINDOW,
} from './sloth';
import {
  DocumentContext,
  ParsedDocument,
  readYamlDocuments,
  validate,
} from './yamlDocuments';

/**
 * Options of {@link parseSloDefinitions}.
 *
 * @public
 */
export interface SloParseOptions {
  /**
   * The SLO window of Sloth specs, which do not say it: Sloth's
   * `--default-slo-period`, 30d unless set (e.g. 28d).
   */
  slothSloPeriod?: string;
}

/**
 * Reads every SLO of a set of YAML files (several documents per file
 * allowed). OpenSLO documents of other kinds (Service, DataSource,
 * AlertPolicy, ...) are skipped; anything that is neither OpenSLO v1 nor a
 * Sloth spec is reported.
 *
 * @public
 */
export function parseSloDefinitions(
  files: SloSourceFile[],
  options: SloParseOptions = {},
): SloDefinitionsResult {
  const slothWindow = options.slothSloPeriod ?? SLOTH_DEFAULT_WINDOW;
  const slothWindowSeconds = parsePromDuration(slothWindow);
  if (
    slothWindowSeconds === undefined ||
    slothWindowSeconds % 86400 !== 0 ||
    slothWindowSeconds < MIN_WINDOW_SECONDS
  ) {
    throw new TypeError(
      `Invalid slothSloPeriod ${JSON.stringify(
        slothWindow,
      )}: expected whole days, at least 7d`,
    );
  }
  const errors: SloDefinitionError[] = [];
  const documents: ParsedDocument[] = [];
  for (const file of files) {
    documents.push(...readYamlDocuments(file, errors));
  }

  const slis = new Map<string, { spec: SliSpec; context: DocumentContext }>();
  for (const { context, value } of documents) {
    if (value.apiVersion === 'openslo/v1' && value.kind === 'SLI') {
      const parsed = validate(openSloSliSchema, value, context);
      if (!parsed) {
        continue;
      }
      if (slis.has(parsed.metadata.name)) {
        context.error(
          ['metadata', 'name'],
          `SLI ${parsed.metadata.name} is defined twice`,
        );
        continue;
      }
      slis.set(parsed.metadata.name, { spec: parsed.spec, context });
    }
  }

  const slos: SloDefinition[] = [];
  for (const { context, value } of documents) {
    const candidates = documentSlos(value, context, slis, slothWindowSeconds);
    for (const slo of candidates) {
      const duplicate = slos.find(
        s => s.service === slo.service && s.name === slo.name,
      );
      if (duplicate) {
        context.error(
          [],
          `SLO ${slo.name} of service ${slo.service} is also defined in ${
            duplicate.source.file
          } (document ${duplicate.source.documentIndex + 1})`,
        );
        continue;
      }
      slos.push(slo);
    }
  }
  return { slos, errors };
}

function documentSlos(
  value: Record<string, unknown>,
  context: DocumentContext,
  slis: Map<string, { spec: SliSpec; context: DocumentContext }>,
  slothWindowSeconds: number,
): SloDefinition[] {
  if (
    typeof value.apiVersion === 'string' &&
    value.apiVersion.startsWith('openslo/')
  ) {
    if (value.apiVersion !== 'openslo/v1') {
      context.error(
        ['apiVersion'],
        `unsupported OpenSLO version ${value.apiVersion}; OpsDeck reads openslo/v1`,
      );
      return [];
    }
    if (value.kind !== 'SLO') {
      return []; // SLIs were read before; Service, DataSource, ... say nothing OpsDeck uses
    }
    const slo = validate(openSloSloSchema, value, context);
    return slo ? openSloDefinitions(slo, context, slis) : [];
  }
  if ('version' in value && typeof value.version === 'string') {
    if (value.version !== 'prometheus/v1') {
      context.error(
        ['version'],
        `unsupported Sloth spec version ${value.version}; OpsDeck reads prometheus/v1`,
      );
      return [];
    }
    const spec = validate(slothSpecSchema, value, context);
    return spec ? slothDefinitions(spec, context, slothWindowSeconds) : [];
  }
  context.error(
    [],
    'not an SLO document: expected OpenSLO (apiVersion: openslo/v1) or a Sloth spec (version: prometheus/v1)',
  );
  return [];
}
