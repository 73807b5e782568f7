import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { RunbooksCard } from './RunbooksCard';

function entity(runbooks?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: runbooks ? { 'opsdeck.dev/runbooks': runbooks } : {},
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  };
}

describe('RunbooksCard', () => {
  it('links every alert to its TechDocs page', async () => {
    await renderWithOpsApis(
      <EntityProvider
        entity={entity(
          'HighErrorRate: runbooks/high-error-rate, DatabaseConnectionFailure: runbooks/database-connection-failure',
        )}
      >
        <RunbooksCard />
      </EntityProvider>,
    );
    expect(screen.getByRole('link', { name: 'HighErrorRate' })).toHaveAttribute(
      'href',
      '/docs/default/component/payments-api/runbooks/high-error-rate/',
    );
    expect(
      screen.getByRole('link', { name: 'DatabaseConnectionFailure' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/payments-api/runbooks/database-connection-failure/',
    );
  });

  it('says how to link runbooks, and names entries it cannot read', async () => {
    await renderWithOpsApis(
      <EntityProvider entity={entity('HighErrorRate')}>
        <RunbooksCard />
      </EntityProvider>,
    );
    expect(screen.getByText(/No runbooks linked/)).toBeInTheDocument();
    expect(screen.getByText(/HighErrorRate$/)).toBeInTheDocument();
  });
});
