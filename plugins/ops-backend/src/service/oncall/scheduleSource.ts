import { UrlReaderService } from '@backstage/backend-plugin-api';
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
import { readEntityFile } from '../entityFiles';

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
 * Finds the schedule an entity names with `opsdeck.dev/oncall-schedule`:
 * the name of a schedule in config, or the location of a schedule file
 * relative to the entity's catalog file (or a URL), see readEntityFile.
 */
export class ScheduleSource {
  constructor(
    private readonly configSchedules: Map<string, OnCallSchedule>,
    private readonly urlReader: UrlReaderService,
  ) {}

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
    const { location, text } = await readEntityFile(
      entity,
      reference,
      this.urlReader,
    );
    return parseScheduleFile(text, location);
  }
}
