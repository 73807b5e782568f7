import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { EvaluatedSlo, SloReport } from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  PAYMENTS_API_REF,
  paymentsApi,
} from './__testUtils__/fixtures';
import { renderWithOpsApis } from './__testUtils__/renderWithOpsApis';
import {
  EntitySloCard,
  EntitySlosContent,
  OpsDatabaseTargetPickerFieldExtension,
  OpsRevisionPickerFieldExtension,
} from './plugin';

// The legacy exports that give apps on the legacy frontend system what
// `/alpha` offers as `entity-card:ops/slos`, `entity-content:ops/slos` and
// the two scaffolder form fields.

const unavailable: EvaluatedSlo = {
  name: 'payments-api-availability',
  displayName: 'Payments API availability',
  service: 'payments-api',
  objective: 0.999,
  window: '28d',
  windowSeconds: 28 * 86400,
  budgetingMethod: 'Occurrences',
  indicatorType: 'ratio',
  source: { format: 'openslo', file: 'slos.yaml', documentIndex: 0 },
  evaluatedAt: '2026-11-24T12:00:00.000Z',
  error: 'Prometheus unavailable',
};

describe('legacy exports', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serve(report: Partial<SloReport>) {
    server.use(
      http.get(`${BACKEND}/slos`, () =>
        HttpResponse.json({
          entityRef: PAYMENTS_API_REF,
          prometheus: 'default',
          slos: [],
          definitionErrors: [],
          ...report,
        }),
      ),
      http.get(`${BACKEND}/slos/history`, () =>
        HttpResponse.json({
          entityRef: PAYMENTS_API_REF,
          slo: unavailable.name,
          points: [],
        }),
      ),
    );
  }

  it('EntitySloCard renders the SLOs card of the entity', async () => {
    serve({ slos: [unavailable] });
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <EntitySloCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByTestId('slo-payments-api-availability'),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Evaluated on Prometheus 'default'"),
    ).toBeInTheDocument();
  });

  it('EntitySlosContent renders the SLOs tab of the entity', async () => {
    serve({ slos: [] });
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <EntitySlosContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No SLOs defined for this entity.'),
    ).toBeInTheDocument();
  });

  it('the field extensions register the ui:field names of the templates', async () => {
    function FieldNames() {
      const fields = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <OpsRevisionPickerFieldExtension />
          <OpsDatabaseTargetPickerFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return (
        <ul>
          {fields.map(field => (
            <li key={field.name}>
              {field.name}
              {field.validation ? ' (validated)' : ''}
            </li>
          ))}
        </ul>
      );
    }
    await renderWithOpsApis(<FieldNames />);
    expect(screen.getByText('OpsRevisionPicker')).toBeInTheDocument();
    expect(
      screen.getByText('OpsDatabaseTargetPicker (validated)'),
    ).toBeInTheDocument();
  });
});
