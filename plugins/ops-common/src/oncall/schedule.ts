import { DateTime } from 'luxon';
import {
  OnCallLayer,
  OnCallOverride,
  OnCallRotation,
  OnCallSchedule,
  OnCallShift,
  WEEKDAYS,
} from './types';

// The schedule math: pure functions of a schedule, its overrides and an
// instant. Handoffs are wall-clock times in the rotation's time zone, so all
// stepping from one handoff to the next is done with luxon in that zone
// (`plus({ weeks: 1 })` keeps 09:00 local across a daylight-saving change);
// only the results are turned into UTC instants.

/** How far ahead `layerOnCall` looks for the next person: a year. */
const HORIZON_MS = 366 * 24 * 3600 * 1000;
/** How far back it looks for when the current person took over. */
const LOOKBACK_MS = 31 * 24 * 3600 * 1000;

/**
 * Who may be put on call. A participant who left the team (no longer a
 * member of the owning group) is skipped: their turn goes to the next
 * eligible participant in rotation order, so nobody else's shifts move.
 *
 * @public
 */
export type OnCallEligibility = (userRef: string) => boolean;

function firstHandoff(rotation: OnCallRotation): DateTime {
  const [hour, minute] = rotation.handoffTime.split(':').map(Number);
  let first = DateTime.fromISO(rotation.start, {
    zone: rotation.timeZone,
  }).set({ hour, minute, second: 0, millisecond: 0 });
  if (!first.isValid) {
    throw new Error(
      `Invalid rotation start '${rotation.start}' in time zone '${rotation.timeZone}': ${first.invalidExplanation}`,
    );
  }
  if (rotation.unit === 'weeks') {
    const weekday = WEEKDAYS.indexOf(rotation.handoffDay ?? 'monday') + 1;
    first = first.plus({ days: (weekday - first.weekday + 7) % 7 });
  }
  return first;
}

/**
 * The start of shift `index` (0 is the first shift of the rotation; negative
 * indexes are the shifts before it).
 *
 * @public
 */
export function shiftStart(rotation: OnCallRotation, index: number): Date {
  return new Date(shiftStarts(rotation)(index));
}

/**
 * `shiftStart` of one rotation in epoch milliseconds, with its first handoff
 * worked out once and each start once: every start is a luxon step in the
 * rotation's time zone, and a year of daily shifts asks for each several times.
 */
function shiftStarts(rotation: OnCallRotation): (index: number) => number {
  const first = firstHandoff(rotation);
  const starts = new Map<number, number>();
  return index => {
    let start = starts.get(index);
    if (start === undefined) {
      start = first
        .plus({ [rotation.unit]: index * rotation.length })
        .toMillis();
      starts.set(index, start);
    }
    return start;
  };
}

/**
 * The index of the shift that holds `at`: the one for which
 * `shiftStart(index) <= at < shiftStart(index + 1)`.
 *
 * @public
 */
export function shiftIndexAt(rotation: OnCallRotation, at: Date): number {
  return indexAt(rotation, shiftStarts(rotation), at.getTime());
}

function indexAt(
  rotation: OnCallRotation,
  startOf: (index: number) => number,
  at: number,
): number {
  const nominalMs =
    rotation.length * (rotation.unit === 'weeks' ? 7 : 1) * 24 * 3600 * 1000;
  // A first guess from the nominal length, then corrected: DST changes make
  // real shifts an hour longer or shorter, which can move the guess by one.
  let index = Math.floor((at - startOf(0)) / nominalMs);
  while (startOf(index) > at) index -= 1;
  while (startOf(index + 1) <= at) index += 1;
  return index;
}

function modulo(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/**
 * Who the rotation of a layer puts on call in shift `index`, skipping
 * participants who are not eligible. Undefined when nobody is.
 *
 * @public
 */
export function rotationParticipant(
  layer: OnCallLayer,
  index: number,
  eligible: OnCallEligibility = () => true,
): string | undefined {
  const { participants } = layer;
  for (let step = 0; step < participants.length; step++) {
    const candidate =
      participants[
        modulo(index + (layer.offset ?? 0) + step, participants.length)
      ];
    if (eligible(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * The shifts of one layer between `from` and `to`, with the overrides of
 * that layer applied: an override replaces whoever the rotation has on call
 * for its whole time, also across handoffs. Where overrides overlap, the one
 * later in the list wins. A shift that starts before `from` or ends after
 * `to` is returned whole.
 *
 * @public
 */
export function layerShifts(options: {
  rotation: OnCallRotation;
  layer: OnCallLayer;
  overrides: OnCallOverride[];
  from: Date;
  to: Date;
  eligible?: OnCallEligibility;
}): OnCallShift[] {
  const { rotation, layer, eligible } = options;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const overrides = options.overrides
    .filter(o => o.level === layer.level)
    .map(o => ({
      override: o,
      start: Date.parse(o.start),
      end: Date.parse(o.end),
    }))
    .filter(o => o.end > o.start);

  // Cut the time into pieces at every handoff and every override edge, then
  // give each piece an owner: the topmost override covering it, or the shift.
  const startOf = shiftStarts(rotation);
  const firstIndex = indexAt(rotation, startOf, from);
  const lastIndex = indexAt(rotation, startOf, to);
  const cuts = new Set<number>();
  for (let i = firstIndex; i <= lastIndex + 1; i++) {
    cuts.add(startOf(i));
  }
  const windowStart = startOf(firstIndex);
  const windowEnd = startOf(lastIndex + 1);
  for (const o of overrides) {
    for (const edge of [o.start, o.end]) {
      if (edge > windowStart && edge < windowEnd) cuts.add(edge);
    }
  }
  const edges = [...cuts].sort((a, b) => a - b);

  type Piece = {
    start: number;
    end: number;
    owner: string;
    shift: OnCallShift;
  };
  const pieces: Piece[] = [];
  let index = firstIndex;
  for (let e = 0; e + 1 < edges.length; e++) {
    const start = edges[e];
    const end = edges[e + 1];
    while (startOf(index + 1) <= start) index += 1;
    const cover = [...overrides]
      .reverse()
      .find(o => o.start <= start && o.end >= end);
    if (cover) {
      pieces.push({
        start,
        end,
        owner: `override:${cover.override.id}`,
        shift: {
          userRef: cover.override.userRef,
          start: '',
          overrideId: cover.override.id,
        },
      });
      continue;
    }
    const userRef = rotationParticipant(layer, index, eligible);
    if (userRef) {
      pieces.push({
        start,
        end,
        owner: `shift:${index}`,
        shift: { userRef, start: '' },
      });
    }
  }

  // Pieces of the same shift or the same override make one stretch, so an
  // override that spans a handoff is one shift, not two.
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && last.owner === piece.owner && last.end === piece.start) {
      last.end = piece.end;
    } else {
      merged.push({ ...piece });
    }
  }
  return merged
    .filter(p => p.end > from && p.start < to)
    .map(p => ({
      ...p.shift,
      start: new Date(p.start).toISOString(),
      end: new Date(p.end).toISOString(),
    }));
}

/**
 * Who holds one level of a schedule at `at`, and who takes over next.
 *
 * `current.start`/`current.end` are when this person's stretch on call
 * begins and ends, joining back-to-back shifts of the same person (an
 * override followed by their own shift; looking back at most 31 days); `next` is the first different
 * person after it. With a single participant nobody takes over: `current`
 * has no end and `next` is absent.
 *
 * @public
 */
export function layerOnCall(options: {
  schedule: OnCallSchedule;
  layer: OnCallLayer;
  overrides: OnCallOverride[];
  at: Date;
  eligible?: OnCallEligibility;
}): { current?: OnCallShift; next?: OnCallShift } {
  const { schedule, layer, overrides, at, eligible } = options;
  const rotation = layer.rotation ?? schedule.rotation;
  const shifts = layerShifts({
    rotation,
    layer,
    overrides,
    from: new Date(at.getTime() - LOOKBACK_MS),
    to: new Date(at.getTime() + HORIZON_MS),
    eligible,
  });
  const atMs = at.getTime();
  const currentIndex = shifts.findIndex(
    s => Date.parse(s.start) <= atMs && Date.parse(s.end!) > atMs,
  );
  if (currentIndex < 0) {
    // Nobody now (no eligible participant); the next one may still come.
    return { next: shifts.find(s => Date.parse(s.start) > atMs) };
  }
  // Join back-to-back stretches of the same person; look backwards too, so
  // `start` is when this person took over.
  let first = currentIndex;
  while (
    first > 0 &&
    shifts[first - 1].userRef === shifts[currentIndex].userRef &&
    shifts[first - 1].end === shifts[first].start
  ) {
    first -= 1;
  }
  let last = currentIndex;
  while (
    last + 1 < shifts.length &&
    shifts[last + 1].userRef === shifts[currentIndex].userRef &&
    shifts[last + 1].start === shifts[last].end
  ) {
    last += 1;
  }
  const current: OnCallShift = {
    ...shifts[currentIndex],
    start: shifts[first].start,
    end: shifts[last].end,
  };
  let next: OnCallShift | undefined = shifts[last + 1];
  if (!next || next.start !== current.end) {
    // Nobody takes over within the horizon (a single participant, or a
    // gap): the current person stays on call as far as we can tell.
    if (!next) delete current.end;
    next = next && { ...next };
  } else {
    // The next person's stretch, joined like the current one.
    let end = last + 1;
    while (
      end + 1 < shifts.length &&
      shifts[end + 1].userRef === next.userRef &&
      shifts[end + 1].start === shifts[end].end
    ) {
      end += 1;
    }
    next = { ...next, end: shifts[end].end };
  }
  return { current, next };
}

/**
 * Who is on call at `at` on every level of a schedule, in escalation order.
 *
 * @public
 */
export function scheduleOnCall(options: {
  schedule: OnCallSchedule;
  overrides: OnCallOverride[];
  at: Date;
  eligible?: OnCallEligibility;
}): Array<{ level: string; current?: OnCallShift; next?: OnCallShift }> {
  return options.schedule.layers.map(layer => ({
    level: layer.level,
    ...layerOnCall({ ...options, layer }),
  }));
}
