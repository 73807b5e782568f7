import { sloPrometheusAlerts } from './prometheusAlerts';

const slo = { service: 'payments-api', name: 'availability' };

describe('sloPrometheusAlerts', () => {
  it('says no rule is loaded when Prometheus has none for the SLO', () => {
    expect(
      sloPrometheusAlerts(slo, [
        {
          name: 'SLOErrorBudgetBurn',
          labels: {
            opsdeck_service: 'orders-api',
            opsdeck_slo: 'availability',
          },
          alerts: [{ state: 'firing', labels: { severity: 'page' } }],
        },
      ]),
    ).toEqual({ rules: 0, severity: 'none', firing: [] });
  });

  it("pages only for a firing alert of the SLO's own rules", () => {
    const labels = {
      opsdeck_service: 'payments-api',
      opsdeck_slo: 'availability',
    };
    const state = sloPrometheusAlerts(slo, [
      {
        name: 'SLOErrorBudgetBurn',
        labels: { ...labels, severity: 'ticket' },
        alerts: [{ state: 'pending', labels: { severity: 'ticket' } }],
      },
      {
        name: 'SLOErrorBudgetBurn',
        labels: { ...labels, severity: 'page' },
        alerts: [],
      },
    ]);
    expect(state).toEqual({ rules: 2, severity: 'none', firing: [] });

    const firing = sloPrometheusAlerts(slo, [
      {
        name: 'SLOErrorBudgetBurn',
        labels: { ...labels, severity: 'page' },
        alerts: [
          {
            state: 'firing',
            labels: { severity: 'page' },
            activeAt: '2026-12-02T10:00:00Z',
          },
        ],
      },
    ]);
    expect(firing).toEqual({
      rules: 1,
      severity: 'page',
      firing: [
        {
          name: 'SLOErrorBudgetBurn',
          severity: 'page',
          activeAt: '2026-12-02T10:00:00Z',
        },
      ],
    });
  });

  it("reads Sloth's rules and their sloth_severity", () => {
    const state = sloPrometheusAlerts(slo, [
      {
        name: 'PaymentsAvailabilityBurn',
        labels: {
          sloth_service: 'payments-api',
          sloth_slo: 'availability',
          sloth_severity: 'ticket',
          severity: 'warning',
        },
        alerts: [{ state: 'firing' }],
      },
    ]);
    expect(state.severity).toBe('ticket');
    expect(state.rules).toBe(1);
  });
});
