import { resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  parseScheduleFile,
  readConfigSchedules,
  ScheduleSource,
} from './scheduleSource';

const examples = resolve(__dirname, '../../../../../examples');

function entity(annotation: string, location: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      annotations: {
        'opsdeck.dev/oncall-schedule': annotation,
        'backstage.io/managed-by-location': location,
      },
    },
  };
}

describe('ScheduleSource', () => {
  const source = new ScheduleSource(
    readConfigSchedules(
      new ConfigReader({
        ops: {
          oncall: {
            schedules: {
              payments: {
                rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
                layers: [
                  { level: 'primary', participants: ['user:default/a'] },
                ],
              },
            },
          },
        },
      }),
    ),
    mockServices.urlReader.mock(),
  );

  it('reads the example schedule file next to the catalog file', async () => {
    const schedule = await source.scheduleOf(
      entity(
        './oncall-schedule.yaml',
        `file:${examples}/payments-api/catalog-info.yaml`,
      ),
    );
    expect(schedule).toMatchObject({
      name: 'payments-primary',
      rotation: {
        unit: 'weeks',
        handoffDay: 'monday',
        handoffTime: '09:00',
        timeZone: 'Europe/Berlin',
      },
    });
    expect(schedule?.layers.map(l => l.level)).toEqual([
      'primary',
      'secondary',
      'engineering-manager',
    ]);
  });

  it('finds a schedule of config by name', async () => {
    expect(
      (await source.scheduleOf(entity('payments', 'file:/x/catalog-info.yaml')))
        ?.name,
    ).toBe('payments');
    await expect(
      source.scheduleOf(entity('nope', 'file:/x/catalog-info.yaml')),
    ).rejects.toThrow(/No on-call schedule 'nope'/);
  });

  it('does not read files outside the catalog file’s directory', async () => {
    await expect(
      source.scheduleOf(
        entity(
          '../orders-api/catalog-info.yaml',
          `file:${examples}/payments-api/catalog-info.yaml`,
        ),
      ),
    ).rejects.toThrow(/outside the directory/);
  });
});

describe('parseScheduleFile', () => {
  it('locates problems at line and column', () => {
    const text = [
      'apiVersion: opsdeck.dev/v1alpha1',
      'kind: OnCallSchedule',
      'metadata:',
      '  name: payments',
      'spec:',
      '  rotation:',
      '    timeZone: Europe/Berlinn',
      "    start: '2026-01-05'",
      '  layers:',
      '    - level: primary',
      '      participants: [user:default/a, jane]',
    ].join('\n');
    expect(() => parseScheduleFile(text, 'schedule.yaml')).toThrow(
      'schedule.yaml:7:15: spec.rotation.timeZone: must be an IANA time zone, e.g. Europe/Berlin; schedule.yaml:11:38: spec.layers[0].participants[1]: must be a User entity ref, e.g. user:default/jane.doe',
    );
  });

  it('reports YAML syntax errors with their position', () => {
    expect(() => parseScheduleFile('spec: [a', 'bad.yaml')).toThrow(
      /^bad\.yaml:1:\d+: /,
    );
  });
});

describe('readConfigSchedules', () => {
  it('names the config key of a problem', () => {
    expect(() =>
      readConfigSchedules(
        new ConfigReader({
          ops: {
            oncall: {
              schedules: {
                p: { rotation: { timeZone: 'UTC', start: 'x' }, layers: [] },
              },
            },
          },
        }),
      ),
    ).toThrow(/ops\.oncall\.schedules\.p\.rotation\.start: must be a date/);
  });
});
