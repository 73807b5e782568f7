import {
  parseRunbooksAnnotation,
  runbookForAlert,
  techDocsPagePath,
} from './runbooks';

describe('parseRunbooksAnnotation', () => {
  it('reads comma separated and one-per-line entries', () => {
    expect(
      parseRunbooksAnnotation(
        'HighErrorRate: runbooks/high-error-rate, HighLatency:runbooks/high-latency\nDatabaseUnavailable: runbooks/database-connection-failure/',
      ),
    ).toEqual({
      runbooks: [
        { alert: 'HighErrorRate', page: 'runbooks/high-error-rate' },
        { alert: 'HighLatency', page: 'runbooks/high-latency' },
        {
          alert: 'DatabaseUnavailable',
          page: 'runbooks/database-connection-failure',
        },
      ],
      invalid: [],
    });
  });

  it('names the entries it cannot read', () => {
    expect(
      parseRunbooksAnnotation('HighErrorRate, Up: ../../etc, Ok: runbooks/ok'),
    ).toEqual({
      runbooks: [{ alert: 'Ok', page: 'runbooks/ok' }],
      invalid: ['HighErrorRate', 'Up: ../../etc'],
    });
  });

  it('is empty without the annotation', () => {
    expect(parseRunbooksAnnotation(undefined)).toEqual({
      runbooks: [],
      invalid: [],
    });
  });
});

describe('techDocsPagePath', () => {
  it('builds the TechDocs reader path with lower-case kind and namespace', () => {
    expect(
      techDocsPagePath(
        { kind: 'Component', namespace: 'default', name: 'payments-api' },
        'runbooks/high-error-rate',
      ),
    ).toBe('/docs/default/component/payments-api/runbooks/high-error-rate/');
    expect(
      techDocsPagePath({ kind: 'Component', name: 'x' }, 'runbooks#rollback'),
    ).toBe('/docs/default/component/x/runbooks/#rollback');
  });
});

describe('runbookForAlert', () => {
  const entity = {
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: {
        'opsdeck.dev/runbooks': 'HighErrorRate: runbooks/high-error-rate',
      },
    },
  };
  it('gives the page and its URL in the app', () => {
    expect(
      runbookForAlert(entity, 'HighErrorRate', 'http://localhost:3000/'),
    ).toEqual({
      page: 'runbooks/high-error-rate',
      url: 'http://localhost:3000/docs/default/component/payments-api/runbooks/high-error-rate/',
    });
    expect(
      runbookForAlert(entity, 'HighLatency', 'http://localhost:3000'),
    ).toBeUndefined();
  });
});
