import { CacheService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  OnCallSchedule,
  OnCallScheduleProblem,
  OPSDECK_ANNOTATIONS,
  parseOnCallScheduleDocument,
  parseOnCallScheduleSpec,
} from '@opsdeck/plugin-ops-common';
import { LineCounter, parseDocument } from 'yaml';
import {
  readResolvedEntityFile,
  resolveEntityFile,
} from '../shared/entityFiles';
import { ReadThroughCache } from '../shared/ReadThroughCache';

/** `spec.layers[0].participants` for a problem path. */
function dotted(path: Array<string | number>): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      return i > 0 ? `.${p}` : p;
    })
    .join('');
}

/**
 * Parses a schedule file. Problems are reported with the line and column of
 * the value at fault, the way a linter would: `schedule.yaml:7:17:
 * spec.rotation.timeZone: must be an IANA time zone`.
 */
export function parseScheduleFile(
  text: string,
  location: string,
): OnCallSchedule {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `${location}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    throw new InputError(
      document.errors
        .map(e => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`)
        .join('; '),
    );
  }
  const result = parseOnCallScheduleDocument(document.toJS());
  if (result.problems) {
    throw new InputError(
      result.problems
        .map((problem: OnCallScheduleProblem) => {
          // The deepest node that exists: a missing field points at its parent.
          let node: unknown;
          for (let n = problem.path.length; n >= 0 && !node; n--) {
            node = n
              ? document.getIn(problem.path.slice(0, n), true)
              : document.contents;
          }
          const range = (node as { range?: [number, number, number] })?.range;
          return `${at(range?.[0])}: ${dotted(problem.path) || '(document)'}: ${
            problem.message
          }`;
        })
        .join('; '),
    );
  }
  return result.schedule;
}

/** Schedules defined in config under `ops.oncall.schedules`. */
export function readConfigSchedules(
  config: Config,
): Map<string, OnCallSchedule> {
  const schedules = new Map<string, OnCallSchedule>();
  const section = config.getOptionalConfig('ops.oncall.schedules');
  for (const name of section?.keys() ?? []) {
    const result = parseOnCallScheduleSpec(name, section!.get(name));
    if (result.problems) {
      throw new Error(
        `Invalid on-call schedule in config: ${result.problems
          .map(
            p => `ops.oncall.schedules.${name}.${dotted(p.path)}: ${p.message}`,
          )
          .join('; ')}`,
      );
    }
    schedules.set(name, result.schedule);
  }
  return schedules;
}

/**
 * How long a file's parse problem is reused, at most: long enough that the
 * burst of requests one page makes (the on-call card, the readiness check,
 * their reloads) reads a broken file once, short enough that whoever is
 * fixing it sees the fix on their next reload rather than up to a whole TTL
 * later. Failures to read the file (network, 5xx, rate limits) are not
 * cached at all: they are often over by the next request.
 */
const PROBLEM_CACHE_TTL_MS = 5_000;

/**
 * What the cache keeps of a schedule file: the parsed schedule, or why it
 * does not parse. Plain JSON (OnCallSchedule is strings, numbers and arrays),
 * which TypeScript cannot see through the interfaces.
 */
type CachedScheduleFile = { schedule: OnCallSchedule } | { problem: string };

/**
 * Finds the schedule an entity names with `opsdeck.dev/oncall-schedule`:
 * the name of a schedule in config, or the location of a schedule file
 * relative to the entity's catalog file (or a URL), see resolveEntityFile.
 *
 * A schedule file is read and parsed once per `scheduleCacheTtlMs` for each
 * resolved location (entities sharing a file share the entry), with the
 * plugin's cache service; callers that ask while it is being read wait for
 * that one read.
 */
export class ScheduleSource {
  readonly #files: ReadThroughCache;

  private readonly configSchedules: Map<string, OnCallSchedule>;
  private readonly urlReader: UrlReaderService;
  private readonly options: { scheduleCacheTtlMs: number };

  constructor(deps: {
    /** The schedules of `ops.oncall.schedules`, by name. */
    configSchedules: Map<string, OnCallSchedule>;
    urlReader: UrlReaderService;
    cache?: CacheService;
    /** How long a parsed schedule file is reused before it is read again; not at all unless given. */
    scheduleCacheTtlMs?: number;
  }) {
    this.configSchedules = deps.configSchedules;
    this.urlReader = deps.urlReader;
    this.options = { scheduleCacheTtlMs: deps.scheduleCacheTtlMs ?? 0 };
    this.#files = new ReadThroughCache(deps.cache);
  }

  static reference(entity: Entity): string | undefined {
    return (
      entity.metadata.annotations?.[
        OPSDECK_ANNOTATIONS.oncallSchedule
      ]?.trim() || undefined
    );
  }

  async scheduleOf(entity: Entity): Promise<OnCallSchedule | undefined> {
    const reference = ScheduleSource.reference(entity);
    if (!reference) return undefined;
    const fromConfig = this.configSchedules.get(reference);
    if (fromConfig) return fromConfig;
    if (!/[/.]/.test(reference)) {
      throw new InputError(
        `No on-call schedule '${reference}' in config ops.oncall.schedules, and '${reference}' is not a path to a schedule file`,
      );
    }
    const file = resolveEntityFile(entity, reference);
    const { scheduleCacheTtlMs: ttl } = this.options;
    const entry = await this.#files.get(
      `ops:oncall:schedule:${file.location}`,
      async (): Promise<CachedScheduleFile> => {
        const text = await readResolvedEntityFile(file, this.urlReader);
        try {
          return { schedule: parseScheduleFile(text, file.location) };
        } catch (error) {
          return { problem: (error as Error).message };
        }
      },
      read => ('problem' in read ? Math.min(ttl, PROBLEM_CACHE_TTL_MS) : ttl),
    );
    if ('problem' in entry) throw new InputError(entry.problem);
    return entry.schedule;
  }
}
