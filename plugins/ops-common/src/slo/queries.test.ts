import { parseSloDefinitions } from './definitions';
import type { SloDefinition } from './model';
import {
  formatPromNumber,
  OPSDECK_RECORDING_RULES,
  sloBurnRateQuery,
  sloErrorRatioQuery,
  sloEventCountQueries,
  sloFirstSampleQueries,
  sloRecordedErrorRatioMetric,
  sloRecordedErrorRatioQuery,
  sloSliQuery,
  sloTimesliceGoodQuery,
  SLOTH_RECORDING_RULES,
} from './queries';

const source = {
  format: 'openslo' as const,
  file: 'slos.yaml',
  documentIndex: 0,
};
const job = { name: 'job', op: '=' as const, value: 'api' };

const goodSlo: SloDefinition = {
  name: 'availability',
  service: 'payments-api',
  objective: 0.999,
  window: '30d',
  windowSeconds: 30 * 86400,
  budgetingMethod: 'Occurrences',
  indicator: {
    type: 'ratio',
    good: {
      metric: 'http_requests_total',
      matchers: [job, { name: 'code', op: '!~', value: '5..' }],
    },
    total: { metric: 'http_requests_total', matchers: [job] },
  },
  source,
};

const badSlo: SloDefinition = {
  ...goodSlo,
  name: 'errors',
  indicator: {
    type: 'ratio',
    bad: {
      metric: 'http_requests_total',
      matchers: [job, { name: 'code', op: '=~', value: '5..' }],
    },
    total: { metric: 'http_requests_total', matchers: [job] },
  },
};

describe('SLO queries', () => {
  it('counts events over a window', () => {
    expect(sloEventCountQueries(goodSlo, '1h')).toEqual({
      good: 'sum(increase(http_requests_total{job="api",code!~"5.."}[1h]))',
      total: 'sum(increase(http_requests_total{job="api"}[1h]))',
    });
  });

  it('builds error ratios, SLIs and burn rates from sums of events', () => {
    expect(sloErrorRatioQuery(badSlo, '5m')).toBe(
      '(sum(increase(http_requests_total{job="api",code=~"5.."}[5m])) / sum(increase(http_requests_total{job="api"}[5m])))',
    );
    expect(sloErrorRatioQuery(goodSlo, '30d')).toBe(
      '(1 - sum(increase(http_requests_total{job="api",code!~"5.."}[30d])) / sum(increase(http_requests_total{job="api"}[30d])))',
    );
    expect(sloSliQuery(badSlo, '1h')).toBe(
      `(1 - ${sloErrorRatioQuery(badSlo, '1h')})`,
    );
    // the budget is printed 0.001, not 0.0010000000000000009
    expect(sloBurnRateQuery(badSlo, '1h')).toBe(
      `(${sloErrorRatioQuery(badSlo, '1h')} / 0.001)`,
    );
    // windows are spelled as Prometheus does
    expect(sloErrorRatioQuery(badSlo, '24h')).toContain('[1d]');
  });

  it('counts good slices for Timeslices SLOs', () => {
    const slo: SloDefinition = {
      ...badSlo,
      budgetingMethod: 'Timeslices',
      timeslices: { slice: '1m', sliceSeconds: 60, sliceTarget: 0.95 },
    };
    const good = sloTimesliceGoodQuery(slo);
    expect(good).toBe(
      '((1 - (sum(increase(http_requests_total{job="api",code=~"5.."}[1m])) / sum(increase(http_requests_total{job="api"}[1m])))) >= bool 0.95) and on() (sum(increase(http_requests_total{job="api"}[1m])) > 0)',
    );
    expect(sloErrorRatioQuery(slo, '1h')).toBe(
      `(1 - avg_over_time((${good})[1h:1m]))`,
    );
    expect(() => sloTimesliceGoodQuery(badSlo)).toThrow(/Timeslices/);
  });

  it('names recording rules like Sloth and OpsDeck', () => {
    expect(sloRecordedErrorRatioMetric(SLOTH_RECORDING_RULES, '5m')).toBe(
      'slo:sli_error:ratio_rate5m',
    );
    expect(sloRecordedErrorRatioMetric(SLOTH_RECORDING_RULES, '28d')).toBe(
      'slo:sli_error:ratio_rate4w',
    );
    expect(
      sloRecordedErrorRatioQuery(SLOTH_RECORDING_RULES, goodSlo, '1h'),
    ).toBe(
      'slo:sli_error:ratio_rate1h{sloth_service="payments-api",sloth_slo="availability"}',
    );
    expect(
      sloRecordedErrorRatioQuery(OPSDECK_RECORDING_RULES, goodSlo, '3d'),
    ).toBe(
      'opsdeck_slo:sli_error:ratio_rate3d{opsdeck_service="payments-api",opsdeck_slo="availability"}',
    );
    expect(() =>
      sloRecordedErrorRatioQuery(
        SLOTH_RECORDING_RULES,
        { service: '"} or vector(1) #', name: 'x' },
        '1h',
      ),
    ).toThrow(/Refusing to build PromQL/);
  });

  it('prints numbers without binary noise and refuses bad windows', () => {
    expect(formatPromNumber(1 - 0.999)).toBe('0.001');
    expect(formatPromNumber(14.4 * (1 - 0.999))).toBe('0.0144');
    expect(() => formatPromNumber(Number.NaN)).toThrow();
    expect(() => sloErrorRatioQuery(badSlo, '5m] or vector(1) #')).toThrow(
      /invalid window/,
    );
  });
});

describe('sloFirstSampleQueries', () => {
  it('finds the first sample in an hour-step pass, then at 15 s steps', () => {
    const [slo] = parseSloDefinitions([
      {
        path: 'slos.yaml',
        content: `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  service: payments-api
  indicator:
    metadata:
      name: errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="payments-api",code=~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="payments-api"})
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`,
      },
    ]).slos;
    expect(sloFirstSampleQueries(slo, '4w')).toEqual({
      coarse:
        'min(min_over_time(timestamp(last_over_time(http_requests_total{service="payments-api"}[1h]))[4w:1h]))',
      fine: 'min(min_over_time(timestamp(http_requests_total{service="payments-api"})[1h:15s]))',
      coarseStepSeconds: 3600,
    });
  });
});
