import {
  layerOnCall,
  scheduleOnCall,
  shiftIndexAt,
  shiftStart,
} from './schedule';
import { OnCallOverride, OnCallSchedule } from './types';

// The hand-worked tables below use the manuals' rotation: weekly, handoff
// Monday 09:00 in Europe/Berlin, counted from Monday 2026-01-05 (shift 0).
// Shift k starts on 2026-01-05 + 7k days at 09:00 Berlin time:
//
//   k   Monday      Berlin offset  handoff (UTC)          primary (k mod 3)
//   11  2026-03-23  +01:00 (CET)   2026-03-23T08:00:00Z   carol
//   12  2026-03-30  +02:00 (CEST)  2026-03-30T07:00:00Z   alice   <- DST began Sun 29 March
//   13  2026-04-06  +02:00         2026-04-06T07:00:00Z   bob
//   14  2026-04-13  +02:00         2026-04-13T07:00:00Z   carol
//   15  2026-04-20  +02:00         2026-04-20T07:00:00Z   alice
//   41  2026-10-19  +02:00 (CEST)  2026-10-19T07:00:00Z   carol
//   42  2026-10-26  +01:00 (CET)   2026-10-26T08:00:00Z   alice   <- DST ended Sun 25 October
//   43  2026-11-02  +01:00         2026-11-02T08:00:00Z   bob
//
// So the shift of week 11 lasts 167 h and that of week 41 lasts 169 h; a
// rotation that added 168 h would hand off an hour late in spring and an
// hour early in autumn.

const alice = 'user:default/alice';
const bob = 'user:default/bob';
const carol = 'user:default/carol';
const dana = 'user:default/dana';
const erin = 'user:default/erin';
const frank = 'user:default/frank';

const schedule: OnCallSchedule = {
  name: 'payments',
  rotation: {
    length: 1,
    unit: 'weeks',
    handoffDay: 'monday',
    handoffTime: '09:00',
    timeZone: 'Europe/Berlin',
    start: '2026-01-05',
  },
  layers: [
    { level: 'primary', participants: [alice, bob, carol] },
    // The secondary is the primary of the week after: the list, one ahead.
    { level: 'secondary', participants: [alice, bob, carol], offset: 1 },
    { level: 'engineering-manager', participants: [dana] },
  ],
};
const [primary] = schedule.layers;

function override(
  id: string,
  userRef: string,
  start: string,
  end: string,
  level: OnCallOverride['level'] = 'primary',
): OnCallOverride {
  return {
    id,
    entityRef: 'component:default/payments-api',
    level,
    userRef,
    start,
    end,
    createdBy: alice,
    createdAt: '2026-03-01T00:00:00.000Z',
  };
}

function primaryAt(
  at: string,
  overrides: OnCallOverride[] = [],
  eligible?: (ref: string) => boolean,
) {
  return layerOnCall({
    schedule,
    layer: primary,
    overrides,
    at: new Date(at),
    eligible,
  });
}

describe('shift boundaries', () => {
  it.each([
    [0, '2026-01-05T08:00:00.000Z'],
    [11, '2026-03-23T08:00:00.000Z'],
    [12, '2026-03-30T07:00:00.000Z'],
    [41, '2026-10-19T07:00:00.000Z'],
    [42, '2026-10-26T08:00:00.000Z'],
    [-1, '2025-12-29T08:00:00.000Z'],
  ])('shift %i starts at %s', (index, expected) => {
    expect(shiftStart(schedule.rotation, index).toISOString()).toBe(expected);
  });

  it('makes the shifts spanning the DST changes 167 h and 169 h long', () => {
    const hours = (k: number) =>
      (shiftStart(schedule.rotation, k + 1).getTime() -
        shiftStart(schedule.rotation, k).getTime()) /
      3600_000;
    expect(hours(10)).toBe(168);
    expect(hours(11)).toBe(167);
    expect(hours(41)).toBe(169);
  });

  it.each([
    ['2026-03-30T06:59:59.999Z', 11],
    ['2026-03-30T07:00:00.000Z', 12],
    ['2026-10-26T07:59:59.999Z', 41],
    ['2026-10-26T08:00:00.000Z', 42],
    ['2025-12-30T00:00:00.000Z', -1],
  ])('at %s the shift is %i', (at, index) => {
    expect(shiftIndexAt(schedule.rotation, new Date(at))).toBe(index);
  });

  it('honours another handoff day, time and zone', () => {
    const rotation = {
      ...schedule.rotation,
      handoffDay: 'wednesday' as const,
      handoffTime: '17:30',
      timeZone: 'America/New_York',
    };
    // First Wednesday on or after 2026-01-05 is 2026-01-07, EST (-05:00).
    expect(shiftStart(rotation, 0).toISOString()).toBe(
      '2026-01-07T22:30:00.000Z',
    );
    // US DST began Sunday 8 March 2026: Wednesday 11 March is EDT (-04:00).
    expect(shiftStart(rotation, 9).toISOString()).toBe(
      '2026-03-11T21:30:00.000Z',
    );
  });

  it('supports daily rotations', () => {
    const rotation = {
      ...schedule.rotation,
      unit: 'days' as const,
      length: 2,
      handoffDay: undefined,
    };
    // 2026-01-05 09:00 CET, then every two days at 09:00 local.
    expect(shiftStart(rotation, 0).toISOString()).toBe(
      '2026-01-05T08:00:00.000Z',
    );
    expect(shiftStart(rotation, 42).toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });
});

describe('who is on call across the DST changes', () => {
  it.each([
    // at                           current  start                         end                          next   next end
    [
      '2026-03-29T12:00:00.000Z',
      carol,
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      alice,
      '2026-04-06T07:00:00.000Z',
    ],
    [
      '2026-03-30T06:59:59.999Z',
      carol,
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      alice,
      '2026-04-06T07:00:00.000Z',
    ],
    [
      '2026-03-30T07:00:00.000Z',
      alice,
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      bob,
      '2026-04-13T07:00:00.000Z',
    ],
    [
      '2026-03-30T07:59:59.000Z',
      alice,
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      bob,
      '2026-04-13T07:00:00.000Z',
    ],
    [
      '2026-10-26T07:30:00.000Z',
      carol,
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      alice,
      '2026-11-02T08:00:00.000Z',
    ],
    [
      '2026-10-26T08:00:00.000Z',
      alice,
      '2026-10-26T08:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
      bob,
      '2026-11-09T08:00:00.000Z',
    ],
  ])(
    'at %s: %s from %s to %s, then %s until %s',
    (at, userRef, start, end, nextRef, nextEnd) => {
      expect(primaryAt(at)).toEqual({
        current: { userRef, start, end },
        next: { userRef: nextRef, start: end, end: nextEnd },
      });
    },
  );

  it('gives every level, the secondary one week ahead of the primary', () => {
    const levels = scheduleOnCall({
      schedule,
      overrides: [],
      at: new Date('2026-03-30T07:00:00.000Z'),
    });
    expect(
      levels.map(l => [l.level, l.current?.userRef, l.next?.userRef]),
    ).toEqual([
      ['primary', alice, bob],
      ['secondary', bob, carol],
      // A single person: on call with no end, nobody next.
      ['engineering-manager', dana, undefined],
    ]);
    expect(levels[2].current?.end).toBeUndefined();
  });
});

describe('overrides', () => {
  // Week 12 is alice's: 2026-03-30T07:00Z to 2026-04-06T07:00Z.
  const evening = override(
    'evening',
    erin,
    // Wednesday 18:00 to Thursday 08:00 Berlin (CEST).
    '2026-04-01T16:00:00.000Z',
    '2026-04-02T06:00:00.000Z',
  );

  it.each([
    // at                          current  start                        end                          overrideId  next   next start                   next end                     next overrideId
    [
      '2026-04-01T15:59:59.000Z',
      alice,
      '2026-03-30T07:00:00.000Z',
      '2026-04-01T16:00:00.000Z',
      undefined,
      erin,
      '2026-04-01T16:00:00.000Z',
      '2026-04-02T06:00:00.000Z',
      'evening',
    ],
    [
      '2026-04-01T20:00:00.000Z',
      erin,
      '2026-04-01T16:00:00.000Z',
      '2026-04-02T06:00:00.000Z',
      'evening',
      alice,
      '2026-04-02T06:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      undefined,
    ],
    [
      '2026-04-02T06:00:00.000Z',
      alice,
      '2026-04-02T06:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      undefined,
      bob,
      '2026-04-06T07:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
      undefined,
    ],
  ])(
    'inside a shift, at %s: %s',
    (
      at,
      userRef,
      start,
      end,
      overrideId,
      nextRef,
      nextStart,
      nextEnd,
      nextOverrideId,
    ) => {
      const { current, next } = primaryAt(at, [evening]);
      expect(current).toEqual({ userRef, start, end, overrideId });
      expect(next).toEqual({
        userRef: nextRef,
        start: nextStart,
        end: nextEnd,
        overrideId: nextOverrideId,
      });
    },
  );

  // frank swaps in from Friday 17:00 Berlin over alice's handoff to bob
  // (Monday 2026-04-06T07:00Z) until Tuesday 09:00 Berlin.
  const acrossHandoff = override(
    'swap',
    frank,
    '2026-04-03T15:00:00.000Z',
    '2026-04-07T07:00:00.000Z',
  );

  it.each([
    [
      '2026-04-03T14:00:00.000Z',
      alice,
      '2026-03-30T07:00:00.000Z',
      '2026-04-03T15:00:00.000Z',
      frank,
      '2026-04-03T15:00:00.000Z',
      '2026-04-07T07:00:00.000Z',
    ],
    // One stretch across the handoff, not two.
    [
      '2026-04-05T12:00:00.000Z',
      frank,
      '2026-04-03T15:00:00.000Z',
      '2026-04-07T07:00:00.000Z',
      bob,
      '2026-04-07T07:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
    ],
    [
      '2026-04-06T07:30:00.000Z',
      frank,
      '2026-04-03T15:00:00.000Z',
      '2026-04-07T07:00:00.000Z',
      bob,
      '2026-04-07T07:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
    ],
    [
      '2026-04-07T07:00:00.000Z',
      bob,
      '2026-04-07T07:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
      carol,
      '2026-04-13T07:00:00.000Z',
      '2026-04-20T07:00:00.000Z',
    ],
  ])(
    'across a handoff, at %s: %s from %s to %s, then %s',
    (at, userRef, start, end, nextRef, nextStart, nextEnd) => {
      const { current, next } = primaryAt(at, [acrossHandoff]);
      expect([current?.userRef, current?.start, current?.end]).toEqual([
        userRef,
        start,
        end,
      ]);
      expect([next?.userRef, next?.start, next?.end]).toEqual([
        nextRef,
        nextStart,
        nextEnd,
      ]);
    },
  );

  it('joins an override to the same person’s own shift', () => {
    // bob takes alice's weekend, then his own week follows.
    const { current, next } = primaryAt('2026-04-04T08:00:00.000Z', [
      override(
        'weekend',
        bob,
        '2026-04-04T07:00:00.000Z',
        '2026-04-06T07:00:00.000Z',
      ),
    ]);
    expect(current).toMatchObject({
      userRef: bob,
      start: '2026-04-04T07:00:00.000Z',
      end: '2026-04-13T07:00:00.000Z',
    });
    expect(next).toMatchObject({ userRef: carol });
  });

  it('applies an override to its own level only', () => {
    const levels = scheduleOnCall({
      schedule,
      overrides: [
        evening,
        override(
          'sec',
          frank,
          '2026-04-01T00:00:00.000Z',
          '2026-04-03T00:00:00.000Z',
          'secondary',
        ),
      ],
      at: new Date('2026-04-01T20:00:00.000Z'),
    });
    expect(levels.map(l => l.current?.userRef)).toEqual([erin, frank, dana]);
  });

  it('lets the later of two overlapping overrides win', () => {
    const { current } = primaryAt('2026-04-01T20:00:00.000Z', [
      evening,
      override(
        'late',
        frank,
        '2026-04-01T19:00:00.000Z',
        '2026-04-01T21:00:00.000Z',
      ),
    ]);
    expect(current).toMatchObject({
      userRef: frank,
      start: '2026-04-01T19:00:00.000Z',
      end: '2026-04-01T21:00:00.000Z',
    });
  });

  it('ignores overrides that ended', () => {
    expect(primaryAt('2026-04-02T12:00:00.000Z', [evening]).current).toEqual({
      userRef: alice,
      start: '2026-04-02T06:00:00.000Z',
      end: '2026-04-06T07:00:00.000Z',
    });
  });
});

describe('a participant removed from the team', () => {
  // bob left: his week 13 goes to the next in line, carol, whose own week 14
  // follows, so she is on call two weeks in a row; alice's weeks do not move.
  const stillInTeam = (ref: string) => ref !== bob;

  it.each([
    [
      '2026-04-01T12:00:00.000Z',
      alice,
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
      carol,
    ],
    [
      '2026-04-07T12:00:00.000Z',
      carol,
      '2026-04-06T07:00:00.000Z',
      '2026-04-20T07:00:00.000Z',
      alice,
    ],
    [
      '2026-04-14T12:00:00.000Z',
      carol,
      '2026-04-06T07:00:00.000Z',
      '2026-04-20T07:00:00.000Z',
      alice,
    ],
    [
      '2026-04-21T12:00:00.000Z',
      alice,
      '2026-04-20T07:00:00.000Z',
      '2026-04-27T07:00:00.000Z',
      carol,
    ],
  ])('at %s: %s from %s to %s, then %s', (at, userRef, start, end, nextRef) => {
    const { current, next } = primaryAt(at, [], stillInTeam);
    expect(current).toEqual({ userRef, start, end });
    expect(next?.userRef).toBe(nextRef);
  });

  it('leaves nobody on call when nobody is left', () => {
    expect(primaryAt('2026-04-01T12:00:00.000Z', [], () => false)).toEqual({
      next: undefined,
    });
  });

  it('still honours an override while nobody is left', () => {
    const { current } = primaryAt(
      '2026-04-01T20:00:00.000Z',
      [
        override(
          'e',
          erin,
          '2026-04-01T16:00:00.000Z',
          '2026-04-02T06:00:00.000Z',
        ),
      ],
      ref => ref === erin,
    );
    expect(current?.userRef).toBe(erin);
  });
});
