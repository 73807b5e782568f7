/**
 * The generated rules, run by Prometheus' own tool: `promtool check rules`
 * validates the file, `promtool test rules` evaluates it over synthetic
 * series and checks which alerts fire. Each scenario is hand-worked below.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { stringify } from 'yaml';
import { parseSloDefinitions } from './definitions';
import type { SloDefinition } from './model';
import {
  generateSloRuleFile,
  generateSloRuleGroups,
  PrometheusRule,
} from './rules';

const PROMTOOL = '/usr/bin/promtool';
const hasPromtool = fs.existsSync(PROMTOOL);
if (!hasPromtool) {
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPED: ${PROMTOOL} is missing; install the Debian package prometheus (scripts/system-packages.sh) to run the promtool rule tests`,
  );
}
const describeWithPromtool = hasPromtool ? describe : describe.skip;

const RUNBOOK =
  'https://backstage.example.com/docs/default/component/api/runbooks/#slo';

// 99.9 % of requests over 30 days; errors are the 5xx responses. A budget of
// 0.001, so the tiers fire above these error ratios:
//   page   14.4 x 0.001 = 1.44 % over 1h and 5m,  6 x 0.001 = 0.6 % over 6h and 30m
//   ticket    3 x 0.001 = 0.3 % over 1d and 2h,   1 x 0.001 = 0.1 % over 3d and 6h
const AVAILABILITY = `version: prometheus/v1
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="api"}[{{.window}}]))
`;

// 95 % of requests under 0.5 s over 28 days: a budget of 0.05, and factors
// scaled to 28 days: 13.44x (1h/5m), 5.6x (6h/30m), 2.8x (1d/2h), 0.9333x (3d/6h).
const LATENCY = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  service: api
  indicator:
    metadata:
      name: latency
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: http_request_duration_seconds_bucket{job="api"}
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - op: lte
      value: 0.5
      target: 0.95
`;

// 99 % of 1-minute slices over 7 days, a slice being good when 95 % of its
// requests succeed: 7-day factors 3.36x (1h/5m) of a 1 % bad-slice budget.
const TIMESLICES = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: good-minutes
spec:
  service: api
  indicator:
    metadata:
      name: good-minutes
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            spec:
              query: http_requests_total{job="api",code="200"}
        total:
          metricSource:
            spec:
              query: http_requests_total{job="api"}
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`;

function slo(content: string): SloDefinition {
  const { slos, errors } = parseSloDefinitions([
    { path: 'slos.yaml', content },
  ]);
  expect(errors).toEqual([]);
  return slos[0];
}

interface Phase {
  minutes: number;
  /** Increase per minute of each series of the scenario. */
  perMinute: Record<string, number>;
}

/**
 * promtool's expanding notation for counters growing phase by phase:
 * `0+10x60 610+20x29` is 0, 10, ..., 600 then 610, 630, ..., 1190.
 */
function counterValues(
  phases: Phase[],
  series: string,
  samplesPerMinute: number,
): string {
  const parts: string[] = [];
  let value = 0;
  phases.forEach((phase, index) => {
    const step = phase.perMinute[series] / samplesPerMinute;
    const samples = phase.minutes * samplesPerMinute;
    if (index === 0) {
      parts.push(`${value}+${step}x${samples}`);
      value += step * samples;
    } else {
      value += step;
      parts.push(`${value}+${step}x${samples - 1}`);
      value += step * (samples - 1);
    }
  });
  return parts.join(' ');
}

const SERIES: Record<string, string> = {
  ok: 'http_requests_total{job="api",code="200"}',
  error: 'http_requests_total{job="api",code="500"}',
  fast: 'http_request_duration_seconds_bucket{job="api",le="0.5"}',
  all: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}',
};

interface Scenario {
  name: string;
  phases: Phase[];
  /** Minutes from the start at which the alerts are checked. */
  at: number;
  firing: ('page' | 'ticket')[];
}

function runPromtool(args: string[], cwd: string) {
  const result = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8' });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
  };
}

describeWithPromtool('generated SLO rules under promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-slo-rules-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // promtool's output is in the result, so a failure shows why.
  const PASSED = {
    check: { status: 0, output: expect.stringContaining('SUCCESS') },
    test: { status: 0, output: expect.stringContaining('SUCCESS') },
  };

  function runScenarios(
    definition: SloDefinition,
    scenarios: Scenario[],
    { samplesPerMinute = 1, evaluationMinutes = 5 } = {},
  ) {
    const ruleFile = path.join(dir, `${definition.name}.rules.yaml`);
    fs.writeFileSync(
      ruleFile,
      generateSloRuleFile([definition], { runbookUrl: RUNBOOK }),
    );
    const alerts = generateSloRuleGroups([definition], {
      runbookUrl: RUNBOOK,
    }).flatMap(g => g.rules.filter((r): r is PrometheusRule => !!r.alert));
    const testFile = path.join(dir, `${definition.name}.test.yaml`);
    fs.writeFileSync(
      testFile,
      stringify(
        {
          rule_files: [path.basename(ruleFile)],
          // Rules are evaluated every 5 minutes over 3 days of per-minute
          // samples, which keeps promtool's run short; the checked times are
          // multiples of 5 minutes.
          evaluation_interval: `${evaluationMinutes}m`,
          tests: scenarios.map(scenario => ({
            name: scenario.name,
            interval: `${60 / samplesPerMinute}s`,
            input_series: Object.keys(scenario.phases[0].perMinute).map(
              key => ({
                series: SERIES[key],
                values: counterValues(scenario.phases, key, samplesPerMinute),
              }),
            ),
            alert_rule_test: [
              {
                eval_time: `${scenario.at}m`,
                alertname: 'SLOErrorBudgetBurn',
                exp_alerts: alerts
                  .filter(a =>
                    scenario.firing.includes(a.labels!.severity as any),
                  )
                  .map(a => ({
                    exp_labels: a.labels,
                    exp_annotations: a.annotations,
                  })),
              },
            ],
          })),
        },
        { lineWidth: 0 },
      ),
    );
    const check = runPromtool(['check', 'rules', ruleFile], dir);
    const test = runPromtool(['test', 'rules', testFile], dir);
    return { check, test };
  }

  const DAY = 1440;
  const clean = (minutes: number, ok = 1000): Phase => ({
    minutes,
    perMinute: { ok, error: 0 },
  });
  const errors = (minutes: number, error: number, ok = 1000): Phase => ({
    minutes,
    perMinute: { ok, error },
  });

  it('passes promtool check rules for every kind of SLO', () => {
    const file = path.join(dir, 'all.rules.yaml');
    fs.writeFileSync(
      file,
      generateSloRuleFile([slo(AVAILABILITY), slo(LATENCY), slo(TIMESLICES)], {
        runbookUrl: RUNBOOK,
        alertLabels: { team: 'payments' },
      }),
    );
    const check = runPromtool(['check', 'rules', file], dir);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
  });

  it('pages on 14.4x over 1h and 5m, and stops when the burn stops', () => {
    // After 3 clean days, 1 h at 20 errors per 1,020 requests (1.96 %):
    //   5m, 1h: 1.96 % > 1.44 %               -> page-quick fires
    //   6h: 1,200 / 361,200 = 0.33 % < 0.6 %   -> page-slow does not
    //   1d: 1,200 / 1,441,200 = 0.083 % < 0.3 % and 3d: 0.028 % < 0.1 % -> no ticket
    // 10 minutes after the errors stop, the 5m window is clean: no page.
    expect(
      runScenarios(slo(AVAILABILITY), [
        {
          name: 'page-quick fires',
          phases: [clean(3 * DAY), errors(60, 20)],
          at: 3 * DAY + 60,
          firing: ['page'],
        },
        {
          name: 'page-quick resets with its short window',
          phases: [clean(3 * DAY), errors(60, 20), clean(10)],
          at: 3 * DAY + 70,
          firing: [],
        },
        {
          name: 'page-quick stays quiet at 1.4 %',
          // 14.2 / 1,014.2 = 1.40 % < 1.44 %; 6h: 0.24 % < 0.6 %
          phases: [clean(3 * DAY), errors(60, 14.2)],
          at: 3 * DAY + 60,
          firing: [],
        },
      ]),
    ).toMatchObject(PASSED);
  });

  it('pages on 6x over 6h and 30m, not below it', () => {
    // 3 clean days, then 6 h at 8 errors per 1,008 requests (0.79 %):
    //   30m, 6h: 0.79 % > 0.6 % (page-slow) while 5m, 1h: 0.79 % < 1.44 %
    //   1d: 2,880 / 1,442,880 = 0.2 % < 0.3 %; 3d: 0.067 % < 0.1 % -> no ticket
    // At 5 errors per minute (0.5 %) nothing fires.
    expect(
      runScenarios(slo(AVAILABILITY), [
        {
          name: 'page-slow fires',
          phases: [clean(3 * DAY), errors(360, 8)],
          at: 3 * DAY + 360,
          firing: ['page'],
        },
        {
          name: 'page-slow stays quiet at 0.5 %',
          phases: [clean(3 * DAY), errors(360, 5)],
          at: 3 * DAY + 360,
          firing: [],
        },
      ]),
    ).toMatchObject(PASSED);
  });

  it('raises a ticket on 3x over 1d and 2h, not below it', () => {
    // 2 days of heavy clean traffic (5,000/min) then 1 day at 4 errors per
    // 1,004 requests (0.4 %):
    //   2h, 1d: 0.4 % > 0.3 %                               -> ticket-quick
    //   3d: 5,760 / (14,400,000 + 1,445,760) = 0.036 % < 0.1 % -> ticket-slow does not
    //   no window reaches 0.6 %                              -> no page
    // At 2 errors per minute (0.2 % < 0.3 %) nothing fires.
    expect(
      runScenarios(slo(AVAILABILITY), [
        {
          name: 'ticket-quick fires',
          phases: [clean(2 * DAY, 5000), errors(DAY, 4)],
          at: 3 * DAY,
          firing: ['ticket'],
        },
        {
          name: 'ticket-quick stays quiet at 0.2 %',
          phases: [clean(2 * DAY, 5000), errors(DAY, 2)],
          at: 3 * DAY,
          firing: [],
        },
      ]),
    ).toMatchObject(PASSED);
  });

  it('raises a ticket on 1x over 3d and 6h, and not once the last 6h are clean', () => {
    // 3 days at 2 errors per 1,002 requests (0.2 %): 6h and 3d above 0.1 %
    // (ticket-slow), 2h and 1d under 0.3 % (no ticket-quick), no page.
    // With the last 6 hours clean, the 3d window still burns but the 6h one
    // does not: nothing fires.
    expect(
      runScenarios(slo(AVAILABILITY), [
        {
          name: 'ticket-slow fires',
          phases: [errors(3 * DAY, 2)],
          at: 3 * DAY,
          firing: ['ticket'],
        },
        {
          name: 'ticket-slow resets with its short window',
          phases: [errors(3 * DAY - 360, 2), clean(360)],
          at: 3 * DAY,
          firing: [],
        },
      ]),
    ).toMatchObject(PASSED);
  });

  it('pages on slow requests of a latency SLO', () => {
    // 3 fast days, then 1 h where 800 of 1,000 requests per minute are slower
    // than 0.5 s: 80 % > 13.44 x 5 % = 67.2 % over 1h and 5m (page);
    // 6h: 48,000 / 360,000 = 13.3 % < 5.6 x 5 % = 28 %;
    // 1d: 3.3 % < 14 %; 3d: 1.1 % < 4.67 % (no ticket).
    // At 600 slow per minute (60 % < 67.2 %) nothing fires.
    const fast = (minutes: number): Phase => ({
      minutes,
      perMinute: { fast: 1000, all: 1000 },
    });
    const slow = (minutes: number, slowPerMinute: number): Phase => ({
      minutes,
      perMinute: { fast: 1000 - slowPerMinute, all: 1000 },
    });
    expect(
      runScenarios(slo(LATENCY), [
        {
          name: 'latency page fires',
          phases: [fast(3 * DAY), slow(60, 800)],
          at: 3 * DAY + 60,
          firing: ['page'],
        },
        {
          name: 'latency page stays quiet at 60 % slow',
          phases: [fast(3 * DAY), slow(60, 600)],
          at: 3 * DAY + 60,
          firing: [],
        },
      ]),
    ).toMatchObject(PASSED);
  });

  it('counts bad slices, not bad requests, for a Timeslices SLO', () => {
    // 1 clean day, then 1 h where every minute has 10 % errors: every slice is
    // bad (SLI 0.9 < 0.95), 100 % of slices > 3.36 x 1 % over 1h and 5m (page;
    // the ticket tiers fire too: 1d has 60 / 1,440 = 4.2 % bad slices > 0.7 %).
    // With 4 % errors per minute every slice is still good (0.96 >= 0.95):
    // nothing fires, although 4 % errors would page an Occurrences SLO.
    expect(
      runScenarios(
        slo(TIMESLICES),
        [
          {
            name: 'bad slices page',
            phases: [clean(DAY), errors(60, 111.2, 1000)],
            at: DAY + 60,
            firing: ['page', 'ticket'],
          },
          {
            name: 'good slices with errors do not page',
            phases: [clean(DAY), errors(60, 41.6, 1000)],
            at: DAY + 60,
            firing: [],
          },
        ],
        { samplesPerMinute: 4, evaluationMinutes: 1 },
      ),
    ).toMatchObject(PASSED);
  });
});
