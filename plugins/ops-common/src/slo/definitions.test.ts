import {
  formatSloDefinitionError,
  parseSloDefinitions,
  SloSourceFile,
} from './definitions';

const OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
  displayName: Payments API availability
spec:
  service: payments-api
  description: Successful requests
  indicator:
    metadata:
      name: availability-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="payments-api",code!~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="payments-api"}[5m]))
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: 99.9 % of requests succeed
      target: 0.999
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: latency-sli
spec:
  thresholdMetric:
    metricSource:
      type: Prometheus
      spec:
        query: http_request_duration_seconds_bucket{job="payments-api"}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  service: payments-api
  indicatorRef: latency-sli
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: p95 under 500 ms
      op: lte
      value: 0.5
      targetPercent: 95
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: errors-per-minute
spec:
  service: payments-api
  indicator:
    metadata:
      name: errors-per-minute
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            spec:
              query: http_requests_total{job="payments-api",code=~"5.."}
        total:
          metricSource:
            spec:
              query: http_requests_total{job="payments-api"}
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`;

const SLOTH = `version: "prometheus/v1"
service: "orders-api"
labels:
  owner: "team-orders"
slos:
  - name: "requests-availability"
    objective: 99.5
    description: "Common SLO based on availability for HTTP request responses."
    sli:
      events:
        error_query: sum(rate(http_request_duration_seconds_count{job="orders-api",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_request_duration_seconds_count{job="orders-api"}[{{.window}}]))
    alerting:
      name: OrdersHighErrorRate
`;

function parse(...contents: string[]) {
  const files: SloSourceFile[] = contents.map((content, i) => ({
    path: `slos-${i + 1}.yaml`,
    content,
  }));
  return parseSloDefinitions(files);
}

describe('parseSloDefinitions', () => {
  it('reads OpenSLO ratio, latency and Timeslices SLOs', () => {
    const { slos, errors } = parse(OPENSLO);
    expect(errors).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'availability',
        displayName: '99.9 % of requests succeed',
        description: 'Successful requests',
        service: 'payments-api',
        objective: 0.999,
        window: '30d',
        windowSeconds: 30 * 86400,
        budgetingMethod: 'Occurrences',
        indicator: {
          type: 'ratio',
          good: {
            metric: 'http_requests_total',
            matchers: [
              { name: 'job', op: '=', value: 'payments-api' },
              { name: 'code', op: '!~', value: '5..' },
            ],
          },
          total: {
            metric: 'http_requests_total',
            matchers: [{ name: 'job', op: '=', value: 'payments-api' }],
          },
        },
        source: { format: 'openslo', file: 'slos-1.yaml', documentIndex: 0 },
      },
      {
        name: 'latency',
        displayName: 'p95 under 500 ms',
        service: 'payments-api',
        objective: 0.95,
        window: '4w',
        windowSeconds: 28 * 86400,
        budgetingMethod: 'Occurrences',
        indicator: {
          type: 'latency',
          good: {
            metric: 'http_request_duration_seconds_bucket',
            matchers: [
              { name: 'job', op: '=', value: 'payments-api' },
              { name: 'le', op: '=', value: '0.5' },
            ],
          },
          total: {
            metric: 'http_request_duration_seconds_bucket',
            matchers: [
              { name: 'job', op: '=', value: 'payments-api' },
              { name: 'le', op: '=', value: '+Inf' },
            ],
          },
          latency: {
            bucketMetric: 'http_request_duration_seconds_bucket',
            threshold: 0.5,
            le: '0.5',
          },
        },
        source: { format: 'openslo', file: 'slos-1.yaml', documentIndex: 2 },
      },
      expect.objectContaining({
        name: 'errors-per-minute',
        objective: 0.99,
        window: '1w',
        budgetingMethod: 'Timeslices',
        timeslices: { slice: '1m', sliceSeconds: 60, sliceTarget: 0.95 },
        indicator: expect.objectContaining({
          type: 'ratio',
          bad: expect.objectContaining({ metric: 'http_requests_total' }),
        }),
      }),
    ]);
  });

  it('reads Sloth prometheus/v1 specs', () => {
    const { slos, errors } = parse(SLOTH);
    expect(errors).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'requests-availability',
        description:
          'Common SLO based on availability for HTTP request responses.',
        service: 'orders-api',
        objective: 0.995,
        window: '30d',
        windowSeconds: 30 * 86400,
        budgetingMethod: 'Occurrences',
        indicator: {
          type: 'ratio',
          bad: {
            metric: 'http_request_duration_seconds_count',
            matchers: [
              { name: 'job', op: '=', value: 'orders-api' },
              { name: 'code', op: '=~', value: '(5..|429)' },
            ],
          },
          total: {
            metric: 'http_request_duration_seconds_count',
            matchers: [{ name: 'job', op: '=', value: 'orders-api' }],
          },
        },
        source: { format: 'sloth', file: 'slos-1.yaml', documentIndex: 0 },
      },
    ]);
  });

  it('takes the window of Sloth specs from the options', () => {
    const { slos } = parseSloDefinitions(
      [{ path: 'sloth.yaml', content: SLOTH }],
      { slothSloPeriod: '28d' },
    );
    expect(slos[0]).toMatchObject({ window: '4w', windowSeconds: 28 * 86400 });
    expect(() => parseSloDefinitions([], { slothSloPeriod: '1h' })).toThrow(
      /slothSloPeriod/,
    );
  });

  it('resolves indicatorRef across files and matches integral bucket bounds in both spellings', () => {
    const sli = `apiVersion: openslo/v1
kind: SLI
metadata: { name: slow }
spec:
  thresholdMetric:
    metricSource: { spec: { query: 'rpc_seconds_bucket{service="search"}' } }
`;
    const slo = `apiVersion: openslo/v1
kind: SLO
metadata: { name: rpc-latency }
spec:
  service: search-api
  indicatorRef: slow
  timeWindow: [{ duration: 7d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ op: lte, value: 1, target: 0.99 }]
`;
    const { slos, errors } = parse(slo, sli);
    expect(errors).toEqual([]);
    expect(slos[0].indicator.good?.matchers).toContainEqual({
      name: 'le',
      op: '=~',
      value: '1|1\\.0',
    });
  });

  it('names the objectives of an SLO that has several', () => {
    const doc = OPENSLO.split('---')[2].replace(
      '      targetPercent: 95',
      '      targetPercent: 95\n    - displayName: p99 under 2 s\n      op: lte\n      value: 2\n      target: 0.99',
    );
    const { slos, errors } = parse(`${OPENSLO.split('---')[1]}---${doc}`);
    expect(errors).toEqual([]);
    expect(
      slos.map(s => [s.name, s.objective, s.indicator.latency?.le]),
    ).toEqual([
      ['latency-p95-under-500-ms', 0.95, '0.5'],
      ['latency-p99-under-2-s', 0.99, '2'],
    ]);
  });

  it('rejects a document that tries to inject PromQL, with its location', () => {
    const injected = OPENSLO.split('---')[0].replace(
      'query: http_requests_total{job="payments-api",code!~"5.."}',
      `query: 'http_requests_total{job="payments-api"} or vector(1) #"}'`,
    );
    const { slos, errors } = parse(injected);
    expect(slos).toEqual([]);
    expect(errors).toEqual([
      {
        file: 'slos-1.yaml',
        documentIndex: 0,
        path: 'spec.indicator.spec.ratioMetric.good.metricSource.spec.query',
        line: 19,
        column: 22,
        message: expect.stringContaining('unexpected "or vector(1) #\\"}"'),
      },
    ]);
    expect(formatSloDefinitionError(errors[0])).toMatch(
      /^slos-1\.yaml:19:22 \(document 1\) spec\.indicator\.spec\.ratioMetric\.good\.metricSource\.spec\.query: unexpected/,
    );
  });

  it('rejects an injection through a label value', () => {
    // YAML single quotes, so that `#` does not start a YAML comment
    const injected = SLOTH.replace(
      /error_query: .*/,
      `error_query: 'sum(rate(errors_total{job="orders-api\\"} or vector(1) #"}[{{.window}}]))'`,
    );
    const { slos, errors } = parse(injected);
    expect(slos).toEqual([]);
    expect(errors).toMatchObject([
      {
        path: 'slos[0].sli.events.error_query',
        line: 11,
        message:
          'value of label job must not contain quotes, backticks or control characters',
      },
    ]);
  });

  it('keeps the good documents when one is broken', () => {
    const broken = OPENSLO.replace('target: 0.999', 'target: 99.9');
    const { slos, errors } = parse(broken, SLOTH);
    expect(slos.map(s => s.name)).toEqual([
      'latency',
      'errors-per-minute',
      'requests-availability',
    ]);
    expect(errors).toMatchObject([
      {
        file: 'slos-1.yaml',
        documentIndex: 0,
        path: 'spec.objectives[0].target',
        line: 31,
        message: 'must be a ratio strictly between 0 and 1, e.g. 0.999',
      },
    ]);
  });

  const minimal = (spec: string) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: x
spec:
  service: svc
${spec}`;
  const ratio = `  indicator:
    metadata: { name: x }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { spec: { query: 'a_total{ok="1"}' } } }
        total: { metricSource: { spec: { query: a_total } } }
`;
  const window = `  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
`;
  const objectives = `  objectives: [{ target: 0.99 }]
`;

  it.each([
    [
      'a calendar window',
      minimal(
        ratio +
          window.replace('isRolling: true', 'isRolling: false') +
          objectives,
      ),
      'spec.timeWindow[0]',
      /calendar-aligned/,
    ],
    [
      'a window shorter than 7 days',
      minimal(ratio + window.replace('30d', '1d') + objectives),
      'spec.timeWindow[0].duration',
      /at least 7d/,
    ],
    [
      'a monthly window',
      minimal(ratio + window.replace('30d', '1M') + objectives),
      'spec.timeWindow[0].duration',
      /invalid duration "1M"/,
    ],
    [
      'RatioTimeslices',
      minimal(
        ratio + window.replace('Occurrences', 'RatioTimeslices') + objectives,
      ),
      'spec.budgetingMethod',
      /hides errors/,
    ],
    [
      'Timeslices without slice settings',
      minimal(ratio + window.replace('Occurrences', 'Timeslices') + objectives),
      'spec.objectives[0].timeSliceTarget',
      /timeSliceTarget/,
    ],
    [
      'a missing indicator',
      minimal(window + objectives),
      'spec',
      /indicator or an indicatorRef/,
    ],
    [
      'an unknown indicatorRef',
      minimal(`  indicatorRef: nope\n${window}${objectives}`),
      'spec.indicatorRef',
      /no SLI document named nope/,
    ],
    [
      'a gauge ratio',
      minimal(
        ratio.replace('counter: true', 'counter: false') + window + objectives,
      ),
      'spec.indicator.spec.ratioMetric.counter',
      /must be counters/,
    ],
    [
      'both good and bad',
      minimal(
        ratio.replace(
          '        total:',
          '        bad: { metricSource: { spec: { query: b_total } } }\n        total:',
        ) +
          window +
          objectives,
      ),
      'spec.indicator.spec.ratioMetric',
      /exactly one of good and bad/,
    ],
    [
      'a non-Prometheus source',
      minimal(
        ratio.replace(
          '{ spec: { query: a_total } }',
          '{ type: Datadog, spec: { query: a_total } }',
        ) +
          window +
          objectives,
      ),
      'spec.indicator.spec.ratioMetric.total.metricSource.type',
      /unsupported metric source Datadog/,
    ],
    [
      'a missing objective target',
      minimal(`${ratio}${window}  objectives: [{ displayName: x }]\n`),
      'spec.objectives[0]',
      /needs a target/,
    ],
    [
      'a bad SLO name',
      minimal(ratio + window + objectives).replace(
        'name: x\nspec',
        'name: "x y"\nspec',
      ),
      'metadata.name',
      /letters, digits/,
    ],
    [
      'a latency objective on a non-histogram',
      minimal(
        `  indicator:
    metadata: { name: x }
    spec:
      thresholdMetric: { metricSource: { spec: { query: latency_seconds } } }
${window}  objectives: [{ op: lte, value: 0.5, target: 0.99 }]
`,
      ),
      'spec.indicator.spec.thresholdMetric.metricSource.spec.query',
      /_bucket/,
    ],
    [
      'a latency objective with op gte',
      minimal(
        `  indicator:
    metadata: { name: x }
    spec:
      thresholdMetric: { metricSource: { spec: { query: latency_seconds_bucket } } }
${window}  objectives: [{ op: gte, value: 0.5, target: 0.99 }]
`,
      ),
      'spec.objectives[0].op',
      /op: lte/,
    ],
    [
      'an unsupported OpenSLO version',
      minimal(ratio + window + objectives).replace(
        'openslo/v1',
        'openslo/v2alpha',
      ),
      'apiVersion',
      /openslo\/v1/,
    ],
    [
      'an unknown document',
      'kind: Deployment\nmetadata: { name: x }\n',
      '',
      /not an SLO document/,
    ],
    [
      'a Sloth raw SLI',
      SLOTH.replace(
        /events:[\s\S]*?alerting/,
        'raw:\n        error_ratio_query: x\n    alerting',
      ),
      'slos[0].sli',
      /raw error ratio queries/,
    ],
    [
      'a Sloth query without {{.window}}',
      SLOTH.replace('(5..|429)"}[{{.window}}]', '(5..|429)"}[5m]'),
      'slos[0].sli.events.error_query',
      /\{\{\.window\}\}/,
    ],
  ])('rejects %s', (_name, content, path, message) => {
    const { slos, errors } = parse(content);
    expect(slos).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toMatch(message);
    expect(errors[0].line).toBeGreaterThan(0);
  });

  it('reports schema errors with their paths', () => {
    const { errors } = parse(
      minimal(ratio + window + objectives)
        .replace('service: svc', 'service: 42')
        .replace('budgetingMethod: Occurrences', 'budgetingMethod: Sometimes'),
    );
    expect(errors.map(e => e.path)).toEqual([
      'spec.service',
      'spec.budgetingMethod',
    ]);
  });

  it('reports invalid YAML with its line, never throwing', () => {
    const { slos, errors } = parse(`${SLOTH}---\nfoo: [1, 2\n`);
    expect(slos).toHaveLength(1);
    expect(errors).toMatchObject([
      {
        file: 'slos-1.yaml',
        documentIndex: 1,
        path: '',
        line: expect.any(Number),
      },
    ]);
    expect(errors[0].message).toMatch(/^invalid YAML/);
  });

  it('survives alias bombs and odd values', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
`;
    expect(parse(bomb).errors[0].message).toMatch(/invalid YAML/);
    expect(parse('- 1\n- 2\n').errors[0].message).toMatch(/expected a mapping/);
    expect(parse('', '---\n---\n')).toEqual({ slos: [], errors: [] });
  });

  it('rejects the same SLO defined twice', () => {
    const { slos, errors } = parse(SLOTH, SLOTH);
    expect(slos).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'slos-2.yaml',
      message: expect.stringMatching(/also defined in slos-1\.yaml/),
    });
  });
});
