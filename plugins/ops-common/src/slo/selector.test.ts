import {
  checkPromLabelValue,
  formatPromSelector,
  parsePromCounterQuery,
  parsePromSelector,
  withPromMatchers,
} from './selector';

describe('PromQL selectors', () => {
  it('parses and prints selectors', () => {
    const parsed = parsePromSelector(
      ' http_requests_total{ job="api", code!~"5..|429" , path=~"/v1/.+\\\\.json"} ',
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        metric: 'http_requests_total',
        matchers: [
          { name: 'job', op: '=', value: 'api' },
          { name: 'code', op: '!~', value: '5..|429' },
          { name: 'path', op: '=~', value: '/v1/.+\\.json' },
        ],
      },
    });
    expect(formatPromSelector((parsed as any).value)).toBe(
      'http_requests_total{job="api",code!~"5..|429",path=~"/v1/.+\\\\.json"}',
    );
    expect(parsePromSelector('up')).toEqual({
      ok: true,
      value: { metric: 'up', matchers: [] },
    });
  });

  it.each([
    [
      'http_requests_total{code="5.."} or vector(1) #',
      /unexpected "or vector\(1\) #" at character 33/,
    ],
    ['http_requests_total{code="x\\"} or vector(1) #"}', /quotes/],
    ['http_requests_total{code=~"x"} or vector(1)', /unexpected/],
    ['http_requests_total{code="a\nb"}', /control characters/],
    ["http_requests_total{code='x'}", /double-quoted/],
    ['http_requests_total{code="x\\\\y"}', /backslashes/],
    ['http_requests_total{__name__="x"}', /invalid label name/],
    ['http_requests_total{code="x"', /expected "," or "}"/],
    ['http_requests_total{code="x}', /unterminated/],
    ['1 + 1', /expected a metric name/],
    ['{code="500"}', /expected a metric name/],
  ])('refuses %j', (query, message) => {
    const parsed = parsePromSelector(query);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });

  it('parses the counter query forms SLO documents use', () => {
    expect(
      parsePromCounterQuery(
        'sum(rate(http_requests_total{job="api",code=~"5.."}[{{ .window }}]))',
      ),
    ).toEqual({
      ok: true,
      value: {
        selector: {
          metric: 'http_requests_total',
          matchers: [
            { name: 'job', op: '=', value: 'api' },
            { name: 'code', op: '=~', value: '5..' },
          ],
        },
        function: 'rate',
        range: '{{.window}}',
      },
    });
    expect(parsePromCounterQuery('increase(requests_total[5m])')).toMatchObject(
      { ok: true, value: { function: 'increase', range: '5m' } },
    );
    expect(parsePromCounterQuery('requests_total{a="b"}')).toMatchObject({
      ok: true,
      value: { selector: { metric: 'requests_total' } },
    });
  });

  it.each([
    ['sum(rate(a[5m])) or vector(1)', /unexpected "or vector\(1\)"/],
    ['sum by (code) (rate(a[5m]))', /unexpected/],
    ['rate(a[5m]) / rate(b[5m])', /unexpected/],
    ['histogram_quantile(0.9, a)', /histogram_quantile\(...\) is not accepted/],
    ['rate(a)', /expected "\["/],
    ['rate(a[{{.other}}])', /expected a range/],
    ['sum(rate(a{b="c"} or vector(1) #"}[5m]))', /expected "\["/],
  ])('refuses the counter query %j', (query, message) => {
    const parsed = parsePromCounterQuery(query);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });

  it('checks label values from any source', () => {
    expect(checkPromLabelValue('payments-api')).toBeUndefined();
    expect(checkPromLabelValue('"} or vector(1) #')).toMatch(/quotes/);
    expect(checkPromLabelValue('a\\.b', '=~')).toBeUndefined();
    expect(checkPromLabelValue('a\\.b', '=')).toMatch(/backslashes/);
  });

  it('refuses to print an unchecked selector', () => {
    expect(() =>
      formatPromSelector({
        metric: 'up',
        matchers: [{ name: 'job', op: '=', value: '"} or vector(1) #' }],
      }),
    ).toThrow(/Refusing to build PromQL/);
    expect(() =>
      formatPromSelector({ metric: 'up or vector(1)', matchers: [] }),
    ).toThrow(/invalid metric name/);
  });

  it('adds and replaces matchers', () => {
    expect(
      withPromMatchers(
        {
          metric: 'a_bucket',
          matchers: [
            { name: 'le', op: '=', value: '1' },
            { name: 'job', op: '=', value: 'x' },
          ],
        },
        [{ name: 'le', op: '=', value: '+Inf' }],
      ),
    ).toEqual({
      metric: 'a_bucket',
      matchers: [
        { name: 'job', op: '=', value: 'x' },
        { name: 'le', op: '=', value: '+Inf' },
      ],
    });
  });
});
