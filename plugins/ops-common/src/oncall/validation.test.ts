import {
  parseOnCallScheduleDocument,
  parseOnCallScheduleSpec,
} from './validation';

const spec = {
  rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
  layers: [{ level: 'primary', participants: ['user:default/alice'] }],
};

describe('parseOnCallScheduleSpec', () => {
  it('fills in the manuals’ defaults: weekly, Monday 09:00', () => {
    expect(parseOnCallScheduleSpec('payments', spec)).toEqual({
      schedule: {
        name: 'payments',
        rotation: {
          length: 1,
          unit: 'weeks',
          handoffDay: 'monday',
          handoffTime: '09:00',
          timeZone: 'Europe/Berlin',
          start: '2026-01-05',
        },
        layers: spec.layers,
      },
    });
  });

  it.each([
    [
      { ...spec, rotation: { ...spec.rotation, timeZone: 'Mars/Olympus' } },
      ['rotation', 'timeZone'],
      'IANA time zone',
    ],
    [
      { ...spec, rotation: { ...spec.rotation, handoffTime: '9am' } },
      ['rotation', 'handoffTime'],
      'HH:mm',
    ],
    [
      { ...spec, rotation: { ...spec.rotation, start: 'monday' } },
      ['rotation', 'start'],
      'YYYY-MM-DD',
    ],
    [
      { ...spec, layers: [{ level: 'primary', participants: ['alice'] }] },
      ['layers', 0, 'participants', 0],
      'User entity ref',
    ],
    [
      {
        ...spec,
        layers: [{ level: 'tertiary', participants: ['user:default/a'] }],
      },
      ['layers', 0, 'level'],
      '',
    ],
    [
      { ...spec, layers: [spec.layers[0], spec.layers[0]] },
      ['layers'],
      'each level may appear once',
    ],
  ])('reports %j at its path', (value, path, message) => {
    const result = parseOnCallScheduleSpec('x', value);
    expect(result.schedule).toBeUndefined();
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path, message: expect.stringContaining(message) },
      ]),
    );
  });
});

describe('parseOnCallScheduleDocument', () => {
  it('reads a schedule file', () => {
    const result = parseOnCallScheduleDocument({
      apiVersion: 'opsdeck.dev/v1alpha1',
      kind: 'OnCallSchedule',
      metadata: { name: 'payments' },
      spec,
    });
    expect(result.schedule?.name).toBe('payments');
  });

  it('locates problems inside spec', () => {
    const result = parseOnCallScheduleDocument({
      apiVersion: 'opsdeck.dev/v1alpha1',
      kind: 'OnCallSchedule',
      metadata: { name: 'payments' },
      spec: { ...spec, rotation: { ...spec.rotation, length: 0 } },
    });
    expect(result.problems?.[0].path).toEqual(['spec', 'rotation', 'length']);
  });
});
