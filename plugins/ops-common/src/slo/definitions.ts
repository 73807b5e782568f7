/**
 * Reads SLO definitions from YAML: OpenSLO v1 (`kind: SLO`, with an inline
 * indicator or an `indicatorRef` to a `kind: SLI` document of the same file
 * set) and Sloth `prometheus/v1` specs. The result is the normalized
 * {@link SloDefinition} model plus located errors; nothing here throws on bad
 * input, and one broken document does not hide the good ones.
 *
 * Pure (no I/O, no Node built-ins): it runs in the backend and the browser.
 */
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { formatPromDuration, parsePromDuration } from './duration';
import type {
  SloBudgetingMethod,
  SloDefinition,
  SloDefinitionError,
  SloIndicator,
} from './model';
import {
  parsePromCounterQuery,
  PromCounterQuery,
  PromSelector,
  withPromMatchers,
} from './selector';

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
const NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,126}[A-Za-z0-9])?$/;
const NAME_MESSAGE =
  'must be 1-128 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

const MIN_WINDOW_SECONDS = 7 * 24 * 3600;
const MAX_SLICE_SECONDS = 5 * 60;
const SLOTH_DEFAULT_WINDOW = '30d';

const nameSchema = z.string().regex(NAME_PATTERN, { message: NAME_MESSAGE });

const metadataSchema = z.object({
  name: nameSchema,
  displayName: z.string().optional(),
});

const metricSourceSchema = z.object({
  type: z.string().optional(),
  metricSourceRef: z.string().optional(),
  spec: z.object({ query: z.string().min(1) }),
});

const metricSchema = z.object({ metricSource: metricSourceSchema });

const sliSpecSchema = z.object({
  description: z.string().optional(),
  thresholdMetric: metricSchema.optional(),
  ratioMetric: z
    .object({
      counter: z.boolean().optional(),
      good: metricSchema.optional(),
      bad: metricSchema.optional(),
      total: metricSchema.optional(),
      raw: z.unknown().optional(),
      rawType: z.unknown().optional(),
    })
    .optional(),
});

type SliSpec = z.infer<typeof sliSpecSchema>;

const openSloSliSchema = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLI'),
  metadata: metadataSchema,
  spec: sliSpecSchema,
});

const objectiveSchema = z.object({
  displayName: z.string().optional(),
  op: z.enum(['lte', 'lt', 'gte', 'gt']).optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.union([z.string(), z.number()]).optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
});

const openSloSloSchema = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLO'),
  metadata: metadataSchema,
  spec: z.object({
    description: z.string().optional(),
    service: nameSchema,
    indicator: z
      .object({ metadata: metadataSchema, spec: sliSpecSchema })
      .optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z
      .array(
        z.object({
          duration: z.string(),
          isRolling: z.boolean().optional(),
          calendar: z.unknown().optional(),
        }),
      )
      .min(1)
      .max(1, { message: 'OpsDeck evaluates one time window per SLO' }),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objectiveSchema).min(1),
  }),
});

type OpenSloSlo = z.infer<typeof openSloSloSchema>;

const slothSpecSchema = z.object({
  version: z.literal('prometheus/v1'),
  service: nameSchema,
  slos: z
    .array(
      z.object({
        name: nameSchema,
        description: z.string().optional(),
        objective: z.number(),
        sli: z.object({
          events: z
            .object({ error_query: z.string(), total_query: z.string() })
            .optional(),
          raw: z.unknown().optional(),
          plugin: z.unknown().optional(),
        }),
      }),
    )
    .min(1),
});

type Path = (string | number)[];

/** One YAML document and a way to point at places in it. */
class DocumentContext {
  constructor(
    readonly file: string,
    readonly documentIndex: number,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly errors: SloDefinitionError[],
  ) {}

  error(path: Path, message: string) {
    const position = this.position(path);
    this.errors.push({
      file: this.file,
      documentIndex: this.documentIndex,
      path: formatPath(path),
      ...position,
      message,
    });
  }

  // The line of the deepest node of the path that exists: a missing key is
  // reported where its parent is.
  private position(path: Path): { line?: number; column?: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = (
        depth === 0
          ? this.doc.contents
          : this.doc.getIn(path.slice(0, depth), true)
      ) as { range?: [number, number, number] } | null | undefined;
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = this.lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  }
}

function formatPath(path: Path): string {
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

interface ParsedDocument {
  context: DocumentContext;
  value: Record<string, unknown>;
}

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

function readYamlDocuments(
  file: SloSourceFile,
  errors: SloDefinitionError[],
): ParsedDocument[] {
  const lineCounter = new LineCounter();
  let docs: Document[];
  try {
    docs = Array.from(
      parseAllDocuments(file.content, { lineCounter }) as Iterable<Document>,
    );
  } catch (e) {
    errors.push({ file: file.path, path: '', message: (e as Error).message });
    return [];
  }
  const result: ParsedDocument[] = [];
  docs.forEach((doc, documentIndex) => {
    const context = new DocumentContext(
      file.path,
      documentIndex,
      doc,
      lineCounter,
      errors,
    );
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const [start] = e.linePos ?? [];
        errors.push({
          file: file.path,
          documentIndex,
          path: '',
          line: start?.line,
          column: start?.col,
          message: `invalid YAML: ${e.message.split('\n')[0]}`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      // A small alias budget: SLO files have no reason to use many aliases,
      // and it stops "billion laughs" documents.
      value = doc.toJS({ maxAliasCount: 20 });
    } catch (e) {
      context.error([], `invalid YAML: ${(e as Error).message}`);
      return;
    }
    if (value === null || value === undefined) {
      return; // an empty document, e.g. after a trailing `---`
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      context.error([], 'expected a mapping (an OpenSLO or Sloth document)');
      return;
    }
    result.push({ context, value: value as Record<string, unknown> });
  });
  return result;
}

function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  context: DocumentContext,
): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues.slice(0, 20)) {
    context.error(
      issue.path.filter(
        (p): p is string | number =>
          typeof p === 'string' || typeof p === 'number',
      ),
      issue.message,
    );
  }
  return undefined;
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

function openSloDefinitions(
  slo: OpenSloSlo,
  context: DocumentContext,
  slis: Map<string, { spec: SliSpec; context: DocumentContext }>,
): SloDefinition[] {
  const { spec } = slo;
  let ok = true;
  const fail = (path: Path, message: string) => {
    context.error(path, message);
    ok = false;
  };

  // The indicator, inline or referenced.
  let sliSpec: SliSpec | undefined;
  let sliPath: Path = ['spec', 'indicator', 'spec'];
  if (spec.indicator && spec.indicatorRef) {
    fail(
      ['spec', 'indicatorRef'],
      'give either indicator or indicatorRef, not both',
    );
  } else if (spec.indicator) {
    sliSpec = spec.indicator.spec;
  } else if (spec.indicatorRef) {
    const referenced = slis.get(spec.indicatorRef);
    if (!referenced) {
      fail(
        ['spec', 'indicatorRef'],
        `no SLI document named ${spec.indicatorRef} (kind: SLI, apiVersion: openslo/v1) in the SLO files`,
      );
    } else {
      sliSpec = referenced.spec;
      sliPath = ['spec', 'indicatorRef'];
    }
  } else {
    fail(['spec'], 'an SLO needs an indicator or an indicatorRef');
  }

  // The window.
  const [timeWindow] = spec.timeWindow;
  const windowSeconds = openSloDuration(timeWindow.duration);
  if (timeWindow.isRolling === false || timeWindow.calendar !== undefined) {
    fail(
      ['spec', 'timeWindow', 0],
      'calendar-aligned windows are not supported; use a rolling window (isRolling: true)',
    );
  }
  if (windowSeconds === undefined) {
    fail(
      ['spec', 'timeWindow', 0, 'duration'],
      `invalid duration ${JSON.stringify(
        timeWindow.duration,
      )}; use days or weeks such as 7d, 28d, 30d or 4w`,
    );
  } else if (
    windowSeconds % 86400 !== 0 ||
    windowSeconds < MIN_WINDOW_SECONDS
  ) {
    fail(
      ['spec', 'timeWindow', 0, 'duration'],
      'the window must be a whole number of days, at least 7d, so that it contains the 3d alert window',
    );
  }

  const budgetingMethod = spec.budgetingMethod;
  if (budgetingMethod === 'RatioTimeslices') {
    fail(
      ['spec', 'budgetingMethod'],
      'RatioTimeslices averages the ratios of slices, which hides errors under uneven traffic; use Occurrences or Timeslices',
    );
  }

  const definitions: SloDefinition[] = [];
  spec.objectives.forEach((objective, index) => {
    const path: Path = ['spec', 'objectives', index];
    const target = objectiveTarget(objective, path, fail);
    if (
      objective.indicator !== undefined ||
      objective.indicatorRef !== undefined
    ) {
      fail(path, 'indicators per objective (composite SLOs) are not supported');
    }
    let timeslices: SloDefinition['timeslices'];
    if (budgetingMethod === 'Timeslices') {
      timeslices = objectiveTimeslices(objective, path, fail);
    }
    const indicator = sliSpec
      ? openSloIndicator(sliSpec, sliPath, objective, path, fail)
      : undefined;
    if (
      !ok ||
      target === undefined ||
      !indicator ||
      windowSeconds === undefined
    ) {
      return;
    }
    const suffix = objectiveSuffix(spec.objectives.length, objective, index);
    definitions.push({
      name: suffix ? `${slo.metadata.name}-${suffix}` : slo.metadata.name,
      ...optional(
        'displayName',
        objective.displayName ?? slo.metadata.displayName,
      ),
      ...optional('description', spec.description),
      service: spec.service,
      objective: target,
      window: formatPromDuration(windowSeconds),
      windowSeconds,
      budgetingMethod: budgetingMethod as SloBudgetingMethod,
      ...(timeslices ? { timeslices } : {}),
      indicator,
      source: {
        format: 'openslo',
        file: context.file,
        documentIndex: context.documentIndex,
      },
    });
  });
  return ok ? definitions : [];
}

function optional<K extends string>(
  key: K,
  value: string | undefined,
): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

// One objective keeps the SLO's name; several get a suffix each, from their
// display name when it makes a valid name, else from their position.
function objectiveSuffix(
  count: number,
  objective: z.infer<typeof objectiveSchema>,
  index: number,
): string | undefined {
  if (count === 1) {
    return undefined;
  }
  const slug = (objective.displayName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug && NAME_PATTERN.test(slug) ? slug : String(index + 1);
}

type Fail = (path: Path, message: string) => void;

function objectiveTarget(
  objective: z.infer<typeof objectiveSchema>,
  path: Path,
  fail: Fail,
): number | undefined {
  if (objective.target !== undefined && objective.targetPercent !== undefined) {
    fail(path, 'give either target or targetPercent, not both');
    return undefined;
  }
  if (objective.target !== undefined) {
    if (!(objective.target > 0 && objective.target < 1)) {
      fail(
        [...path, 'target'],
        'must be a ratio strictly between 0 and 1, e.g. 0.999',
      );
      return undefined;
    }
    return objective.target;
  }
  if (objective.targetPercent !== undefined) {
    if (!(objective.targetPercent > 0 && objective.targetPercent < 100)) {
      fail(
        [...path, 'targetPercent'],
        'must be a percentage strictly between 0 and 100, e.g. 99.9',
      );
      return undefined;
    }
    return objective.targetPercent / 100;
  }
  fail(
    path,
    'an objective needs a target (e.g. 0.999) or a targetPercent (e.g. 99.9)',
  );
  return undefined;
}

function objectiveTimeslices(
  objective: z.infer<typeof objectiveSchema>,
  path: Path,
  fail: Fail,
): SloDefinition['timeslices'] {
  const { timeSliceTarget, timeSliceWindow } = objective;
  let ok = true;
  if (
    timeSliceTarget === undefined ||
    !(timeSliceTarget > 0 && timeSliceTarget <= 1)
  ) {
    fail(
      [...path, 'timeSliceTarget'],
      'Timeslices budgeting needs a timeSliceTarget between 0 (excluded) and 1: the SLI a slice must reach to be good',
    );
    ok = false;
  }
  const sliceSeconds =
    timeSliceWindow === undefined
      ? undefined
      : openSloDuration(String(timeSliceWindow));
  if (sliceSeconds === undefined) {
    fail(
      [...path, 'timeSliceWindow'],
      'Timeslices budgeting needs a timeSliceWindow such as 1m',
    );
    ok = false;
  } else if (
    sliceSeconds > MAX_SLICE_SECONDS ||
    MAX_SLICE_SECONDS % sliceSeconds !== 0
  ) {
    fail(
      [...path, 'timeSliceWindow'],
      'the slice must divide 5m (e.g. 30s, 1m or 5m), the shortest alert window',
    );
    ok = false;
  }
  if (!ok) {
    return undefined;
  }
  return {
    slice: formatPromDuration(sliceSeconds!),
    sliceSeconds: sliceSeconds!,
    sliceTarget: timeSliceTarget!,
  };
}

// OpenSLO durations are a number and a unit (m, h, d, w; M, Q, Y are
// calendar units OpsDeck does not support); a bare number of seconds is
// accepted for timeSliceWindow as some examples write it.
function openSloDuration(text: string): number | undefined {
  if (/^[1-9][0-9]*$/.test(text)) {
    return Number(text);
  }
  return parsePromDuration(text);
}

function openSloIndicator(
  sli: SliSpec,
  sliPath: Path,
  objective: z.infer<typeof objectiveSchema>,
  objectivePath: Path,
  fail: Fail,
): SloIndicator | undefined {
  if (sli.ratioMetric && sli.thresholdMetric) {
    fail(sliPath, 'give either ratioMetric or thresholdMetric, not both');
    return undefined;
  }
  if (sli.ratioMetric) {
    const ratio = sli.ratioMetric;
    const path = [...sliPath, 'ratioMetric'];
    if (ratio.raw !== undefined || ratio.rawType !== undefined) {
      fail(
        path,
        'raw ratio metrics are not supported: OpsDeck counts good and total events, it does not average precomputed ratios',
      );
      return undefined;
    }
    if (ratio.counter === false) {
      fail(
        [...path, 'counter'],
        'OpsDeck counts events with increase(), so the metrics must be counters (counter: true)',
      );
      return undefined;
    }
    if ((ratio.good === undefined) === (ratio.bad === undefined)) {
      fail(path, 'give exactly one of good and bad, with total');
      return undefined;
    }
    if (!ratio.total) {
      fail(path, 'total is required');
      return undefined;
    }
    const numeratorKey = ratio.good ? 'good' : 'bad';
    const numerator = openSloQuery(
      (ratio.good ?? ratio.bad)!,
      [...path, numeratorKey],
      fail,
    );
    const total = openSloQuery(ratio.total, [...path, 'total'], fail);
    if (!numerator || !total) {
      return undefined;
    }
    return { type: 'ratio', [numeratorKey]: numerator, total };
  }
  if (sli.thresholdMetric) {
    return latencyIndicator(
      sli.thresholdMetric,
      [...sliPath, 'thresholdMetric'],
      objective,
      objectivePath,
      fail,
    );
  }
  fail(sliPath, 'the indicator needs a ratioMetric or a thresholdMetric');
  return undefined;
}

function openSloQuery(
  metric: z.infer<typeof metricSchema>,
  path: Path,
  fail: Fail,
): PromSelector | undefined {
  const { type, spec } = metric.metricSource;
  if (type !== undefined && type.toLowerCase() !== 'prometheus') {
    fail(
      [...path, 'metricSource', 'type'],
      `unsupported metric source ${type}; OpsDeck evaluates SLOs on Prometheus`,
    );
    return undefined;
  }
  const parsed = parsePromCounterQuery(spec.query);
  if (!parsed.ok) {
    fail([...path, 'metricSource', 'spec', 'query'], parsed.error);
    return undefined;
  }
  return parsed.value.selector;
}

function latencyIndicator(
  metric: z.infer<typeof metricSchema>,
  path: Path,
  objective: z.infer<typeof objectiveSchema>,
  objectivePath: Path,
  fail: Fail,
): SloIndicator | undefined {
  const selector = openSloQuery(metric, path, fail);
  if (!selector) {
    return undefined;
  }
  const queryPath = [...path, 'metricSource', 'spec', 'query'];
  if (!selector.metric.endsWith('_bucket')) {
    fail(
      queryPath,
      'thresholdMetric must select a histogram _bucket series (e.g. http_request_duration_seconds_bucket{job="api"}): OpsDeck counts the requests under the threshold',
    );
    return undefined;
  }
  if (selector.matchers.some(m => m.name === 'le')) {
    fail(
      queryPath,
      'leave out the le label: the objective value sets the bucket',
    );
    return undefined;
  }
  if (objective.op !== 'lte' && objective.op !== 'lt') {
    fail(
      [...objectivePath, 'op'],
      'a latency objective needs op: lte (requests at or under the value are good)',
    );
    return undefined;
  }
  const threshold = objective.value;
  if (
    threshold === undefined ||
    !(threshold > 0) ||
    !Number.isFinite(threshold)
  ) {
    fail(
      [...objectivePath, 'value'],
      'a latency objective needs a positive value: the threshold in the histogram unit (seconds), equal to a bucket boundary',
    );
    return undefined;
  }
  const le = String(threshold);
  return {
    type: 'latency',
    good: withPromMatchers(selector, [leMatcher(threshold)]),
    total: withPromMatchers(selector, [{ name: 'le', op: '=', value: '+Inf' }]),
    latency: { bucketMetric: selector.metric, threshold, le },
  };
}

// Prometheus 3 rewrites integral bucket boundaries as floats when scraping
// (le="1" becomes le="1.0"); matching both keeps the SLO working across
// versions. Non-integral boundaries print the same in both.
function leMatcher(threshold: number) {
  const le = String(threshold);
  if (Number.isInteger(threshold)) {
    return { name: 'le', op: '=~' as const, value: `${le}|${le}\\.0` };
  }
  return { name: 'le', op: '=' as const, value: le };
}

function slothDefinitions(
  spec: z.infer<typeof slothSpecSchema>,
  context: DocumentContext,
  windowSeconds: number,
): SloDefinition[] {
  const definitions: SloDefinition[] = [];
  spec.slos.forEach((slo, index) => {
    const path: Path = ['slos', index];
    let ok = true;
    const fail = (p: Path, message: string) => {
      context.error(p, message);
      ok = false;
    };
    if (!(slo.objective > 0 && slo.objective < 100)) {
      fail(
        [...path, 'objective'],
        'must be a percentage strictly between 0 and 100, e.g. 99.9',
      );
    }
    if (
      slo.sli.raw !== undefined ||
      slo.sli.plugin !== undefined ||
      !slo.sli.events
    ) {
      fail(
        [...path, 'sli'],
        'OpsDeck reads sli.events (error_query and total_query); raw error ratio queries and plugins are not supported',
      );
    }
    const errors = slo.sli.events
      ? slothQuery(
          slo.sli.events.error_query,
          [...path, 'sli', 'events', 'error_query'],
          fail,
        )
      : undefined;
    const total = slo.sli.events
      ? slothQuery(
          slo.sli.events.total_query,
          [...path, 'sli', 'events', 'total_query'],
          fail,
        )
      : undefined;
    if (!ok || !errors || !total) {
      return;
    }
    definitions.push({
      name: slo.name,
      ...optional('description', slo.description),
      service: spec.service,
      objective: slo.objective / 100,
      window: formatPromDuration(windowSeconds),
      windowSeconds,
      budgetingMethod: 'Occurrences',
      indicator: { type: 'ratio', bad: errors.selector, total: total.selector },
      source: {
        format: 'sloth',
        file: context.file,
        documentIndex: context.documentIndex,
      },
    });
  });
  return definitions;
}

function slothQuery(
  text: string,
  path: Path,
  fail: Fail,
): PromCounterQuery | undefined {
  const parsed = parsePromCounterQuery(text);
  if (!parsed.ok) {
    fail(path, parsed.error);
    return undefined;
  }
  if (parsed.value.range !== '{{.window}}') {
    fail(
      path,
      'expected sum(rate(counter{...}[{{.window}}])): Sloth renders the query for every window through {{.window}}',
    );
    return undefined;
  }
  return parsed.value;
}
