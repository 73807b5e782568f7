/**
 * OpenSLO v1 `kind: SLO` documents, with an inline indicator or an
 * `indicatorRef` to a `kind: SLI` document of the same file set: one
 * {@link SloDefinition} per objective.
 */
import { formatPromDuration, parsePromDuration } from '../duration';
import type { SloBudgetingMethod, SloDefinition } from '../model';
import {
  Fail,
  MAX_SLICE_SECONDS,
  MIN_WINDOW_SECONDS,
  NAME_PATTERN,
  optional,
  Path,
} from './common';
import { openSloIndicator } from './opensloIndicator';
import type { Objective, OpenSloSlo, SliSpec } from './opensloSchema';
import type { DocumentContext } from './yamlDocuments';

export function openSloDefinitions(
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

// One objective keeps the SLO's name; several get a suffix each, from their
// display name when it makes a valid name, else from their position.
function objectiveSuffix(
  count: number,
  objective: Objective,
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

function objectiveTarget(
  objective: Objective,
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
  objective: Objective,
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
