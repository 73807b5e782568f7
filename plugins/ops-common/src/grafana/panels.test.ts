import {
  GRAFANA_TIME_RANGES,
  grafanaPanelEmbedUrl,
  parseGrafanaPanelsAnnotation,
} from './panels';

describe('parseGrafanaPanelsAnnotation', () => {
  it('reads the documented example', () => {
    expect(parseGrafanaPanelsAnnotation('payments-overview:2,4')).toEqual({
      ok: true,
      dashboards: [
        { uid: 'payments-overview', panelIds: [2, 4], variables: [] },
      ],
    });
  });

  it('reads several dashboards, one per line, with variables', () => {
    expect(
      parseGrafanaPanelsAnnotation(
        'payments-overview:2,4?var-service=payments-api&var-env=prod\n  db_Xy9:12?var-instance=a&var-instance=b\n',
      ),
    ).toEqual({
      ok: true,
      dashboards: [
        {
          uid: 'payments-overview',
          panelIds: [2, 4],
          variables: [
            { name: 'service', value: 'payments-api' },
            { name: 'env', value: 'prod' },
          ],
        },
        {
          uid: 'db_Xy9',
          panelIds: [12],
          variables: [
            { name: 'instance', value: 'a' },
            { name: 'instance', value: 'b' },
          ],
        },
      ],
    });
  });

  it.each([
    ['', 'no dashboard is given'],
    [
      'payments-overview',
      '“payments-overview”: expected <dashboard uid>:<panel ids>',
    ],
    ['pay/ments:2', 'the dashboard uid “pay/ments” must be 1 to 40'],
    [`${'a'.repeat(41)}:2`, 'must be 1 to 40 letters'],
    [':2', 'the dashboard uid “” must be'],
    ['payments:', 'the panel id “” is not a positive whole number'],
    ['payments:2,x', 'the panel id “x” is not a positive whole number'],
    ['payments:2,,4', 'the panel id “” is not'],
    ['payments:0', 'the panel id “0” is not'],
    ['payments:-1', 'the panel id “-1” is not'],
    ['payments:2.5', 'the panel id “2.5” is not'],
    ['payments:2?service=x', '“service=x” is not var-<name>=<value>'],
    ['payments:2?var-service=x&', '“” is not var-<name>=<value>'],
    ['payments:2?var-my.service=x', 'the variable name “my.service” must be'],
    ['payments:2?var-service=', 'the value “” of var-service must be'],
    [
      'payments:2?var-service=a%26orgId%3D2',
      'the value “a%26orgId%3D2” of var-service must be',
    ],
    ['payments:2?var-service=a=b', 'the value “a=b” of var-service'],
    ['ok:1 payments:x', '“payments:x”: the panel id “x”'],
  ])('rejects %j: %s', (value, message) => {
    const result = parseGrafanaPanelsAnnotation(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });

  it('rejects a missing annotation', () => {
    expect(parseGrafanaPanelsAnnotation(undefined)).toEqual({
      ok: false,
      error: 'no dashboard is given',
    });
  });
});

describe('grafanaPanelEmbedUrl', () => {
  it('builds the d-solo URL of one panel', () => {
    expect(
      grafanaPanelEmbedUrl({
        baseUrl: 'https://grafana.example.com/',
        uid: 'payments-overview',
        panelId: 4,
        from: 'now-6h',
        to: 'now',
        variables: [
          { name: 'service', value: 'payments-api' },
          { name: 'instance', value: 'a' },
          { name: 'instance', value: 'b' },
        ],
      }),
    ).toBe(
      'https://grafana.example.com/d-solo/payments-overview/?orgId=1&panelId=4&from=now-6h&to=now&theme=light&var-service=payments-api&var-instance=a&var-instance=b',
    );
  });

  it('keeps a sub-path of the base URL and takes the organization', () => {
    expect(
      grafanaPanelEmbedUrl({
        baseUrl: 'https://example.com/grafana',
        orgId: 3,
        uid: 'db',
        panelId: 1,
        from: GRAFANA_TIME_RANGES[0].from,
        to: GRAFANA_TIME_RANGES[0].to,
      }),
    ).toBe(
      'https://example.com/grafana/d-solo/db/?orgId=3&panelId=1&from=now-1h&to=now&theme=light',
    );
  });
});
