import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UrlReaderServiceReadUrlResponse } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  parseScheduleFile,
  readConfigSchedules,
  ScheduleSource,
} from './scheduleSource';

const examples = resolve(__dirname, '../../../../examples');

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
  const source = new ScheduleSource({
    configSchedules: readConfigSchedules(
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
    urlReader: mockServices.urlReader.mock(),
  });

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

describe('ScheduleSource with a cache', () => {
  const scheduleText = readFileSync(
    resolve(examples, 'payments-api/oncall-schedule.yaml'),
    'utf8',
  );
  const catalogFile =
    'url:https://github.com/acme/payments/blob/main/catalog-info.yaml';
  const scheduleUrl =
    'https://github.com/acme/payments/blob/main/oncall-schedule.yaml';
  const TTL = 30_000;
  // Keyv, behind Backstage's memory cache, expires entries by Date.now().
  let now: number;

  beforeEach(() => {
    now = Date.parse('2026-11-24T12:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  /** Answers readUrl with `answer()`, counting the calls. */
  function sourceReading(answer: () => Promise<string>) {
    const readUrl = jest.fn(
      async (_url: string): Promise<UrlReaderServiceReadUrlResponse> => {
        const text = await answer();
        return { buffer: async () => Buffer.from(text, 'utf8') };
      },
    );
    const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ops',
    );
    const source = new ScheduleSource({
      configSchedules: new Map(),
      urlReader: mockServices.urlReader.mock({ readUrl }),
      cache,
      scheduleCacheTtlMs: TTL,
    });
    return { source, readUrl };
  }

  it('reads a schedule file once per TTL for every entity that names it', async () => {
    const { source, readUrl } = sourceReading(async () => scheduleText);
    const payments = entity('./oncall-schedule.yaml', catalogFile);
    const sameFile = entity(scheduleUrl, catalogFile);
    sameFile.metadata.name = 'payments-worker';

    expect((await source.scheduleOf(payments))?.name).toBe('payments-primary');
    expect(readUrl.mock.calls).toEqual([[scheduleUrl]]);

    now += TTL - 1;
    expect((await source.scheduleOf(payments))?.name).toBe('payments-primary');
    expect((await source.scheduleOf(sameFile))?.name).toBe('payments-primary');
    expect(readUrl).toHaveBeenCalledTimes(1);

    now += 2;
    expect((await source.scheduleOf(payments))?.name).toBe('payments-primary');
    expect(readUrl).toHaveBeenCalledTimes(2);
  });

  it('lets callers that ask during the first read wait for it', async () => {
    let answer!: (text: string) => void;
    const text = new Promise<string>(done => {
      answer = done;
    });
    const { source, readUrl } = sourceReading(() => text);
    const payments = entity('./oncall-schedule.yaml', catalogFile);

    const reads = Promise.all([1, 2, 3].map(() => source.scheduleOf(payments)));
    answer(scheduleText);
    const schedules = await reads;

    expect(readUrl).toHaveBeenCalledTimes(1);
    expect(schedules.map(s => s?.name)).toEqual([
      'payments-primary',
      'payments-primary',
      'payments-primary',
    ]);
  });

  it('keeps a parse problem 5 seconds only, and does not keep a failed read', async () => {
    const answers = [
      async () => 'spec: [a',
      async () => {
        throw new Error('GitHub answered 502 Bad Gateway');
      },
      async () => scheduleText,
    ];
    const { source, readUrl } = sourceReading(() => answers.shift()!());
    const payments = entity('./oncall-schedule.yaml', catalogFile);

    // YAML's complaint, at the line and column of the file it read.
    const problem = `${scheduleUrl}:1:`;
    await expect(source.scheduleOf(payments)).rejects.toThrow(problem);
    now += 4_999;
    await expect(source.scheduleOf(payments)).rejects.toThrow(problem);
    expect(readUrl).toHaveBeenCalledTimes(1);

    now += 2;
    await expect(source.scheduleOf(payments)).rejects.toThrow(
      '502 Bad Gateway',
    );
    expect((await source.scheduleOf(payments))?.name).toBe('payments-primary');
    expect(readUrl).toHaveBeenCalledTimes(3);
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
