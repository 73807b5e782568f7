import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { paymentsApi } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import {
  useBackupDrillMenuItem,
  useFailoverMenuItem,
} from './operationMenuItems';

function MenuItems() {
  const items = [useBackupDrillMenuItem(), useFailoverMenuItem()];
  return (
    <ul>
      {items.map(item => (
        <li key={item.title}>
          {'href' in item ? (
            <a href={item.href}>{item.title}</a>
          ) : (
            <span aria-disabled="true">{item.title}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function renderMenuOf(databases: string) {
  const entity: Entity = {
    ...paymentsApi,
    metadata: {
      ...paymentsApi.metadata,
      annotations: { 'opsdeck.dev/databases': databases },
    },
  };
  return renderWithOpsApis(
    <EntityProvider entity={entity}>
      <MenuItems />
    </EntityProvider>,
    {
      config: {
        ops: {
          databases: {
            'payments-db': { engine: 'postgres' },
            'ledger-db': { engine: 'mysql' },
          },
        },
      },
    },
  );
}

const formDataOf = (link: HTMLElement) =>
  JSON.parse(
    new URL(link.getAttribute('href')!, 'http://app').searchParams.get(
      'formData',
    )!,
  );

describe('the entity menu', () => {
  it('offers no failover for a service whose only target is MySQL', async () => {
    await renderMenuOf('ledger-db');
    expect(
      await screen.findByRole('link', { name: 'Run backup drill' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Fail over database' }),
    ).toBeNull();
    expect(screen.getByText('Fail over database')).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('fills in the one target that can fail over', async () => {
    await renderMenuOf('payments-db, ledger-db');
    const failover = await screen.findByRole('link', {
      name: 'Fail over database',
    });
    expect(formDataOf(failover)).toMatchObject({
      target: 'payments-db',
      mode: 'dry-run',
    });
    // the drill runs on either: the form asks which
    expect(
      formDataOf(screen.getByRole('link', { name: 'Run backup drill' })),
    ).not.toHaveProperty('target');
  });
});
