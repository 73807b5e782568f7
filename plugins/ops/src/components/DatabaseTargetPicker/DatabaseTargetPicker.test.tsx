import { CatalogClient } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import {
  databaseBindingRefusal,
  ReadinessReport,
} from '@opsdeck/plugin-ops-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { paymentsApi, PAYMENTS_API_REF } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OpsClient, opsApiRef } from '../../api';
import {
  DatabaseTargetPicker,
  validateDatabaseTarget,
} from './DatabaseTargetPicker';

// The real catalog client, over HTTP to a catalog faked with msw.
const CATALOG = 'http://backend/api/catalog';
const catalogApi = new CatalogClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://backend' }),
  fetchApi: new MockFetchApi(),
});
const READINESS = 'http://backend/api/ops/readiness';
const opsApi = new OpsClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://backend' }),
  fetchApi: new MockFetchApi(),
});

function paymentsWith(databases?: string): Entity {
  return {
    ...paymentsApi,
    metadata: {
      ...paymentsApi.metadata,
      annotations: databases ? { 'opsdeck.dev/databases': databases } : {},
    },
  };
}

describe('DatabaseTargetPicker', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  // readiness with no databases check unless a test says otherwise
  beforeEach(() =>
    server.use(
      http.get(READINESS, ({ request }) =>
        HttpResponse.json({
          entityRef: new URL(request.url).searchParams.get('entityRef'),
          items: [],
          present: 0,
          total: 0,
        }),
      ),
    ),
  );

  /** The catalog knows payments-api with this annotation; records what was asked. */
  function catalogWith(databases?: string) {
    const asked: string[] = [];
    server.use(
      http.get(
        `${CATALOG}/entities/by-name/:kind/:namespace/:name`,
        ({ params }) => {
          asked.push(`${params.kind}:${params.namespace}/${params.name}`);
          return params.name === 'payments-api'
            ? HttpResponse.json(paymentsWith(databases))
            : HttpResponse.json(
                { error: { name: 'NotFoundError', message: 'not found' } },
                { status: 404 },
              );
        },
      ),
    );
    return asked;
  }

  /**
   * The readiness of payments-api, whose databases check refuses `unbound`
   * as the backend's drills check does (bound to no entity); every target is
   * bound when `unbound` is empty.
   */
  function readinessWith(targets: string[], unbound: string[]) {
    const entity = paymentsWith(targets.join(', '));
    const refusals = unbound.map(
      target => databaseBindingRefusal(entity, target, undefined)!,
    );
    const report: ReadinessReport = {
      entityRef: PAYMENTS_API_REF,
      items: [
        {
          id: 'databases',
          title: 'Database targets with drills',
          status: refusals.length > 0 ? 'missing' : 'present',
          detail:
            refusals.length > 0
              ? `Database targets: ${targets.join(
                  ', ',
                )}; not usable by this service: ${refusals.join('; ')}.`
              : `Database targets: ${targets.join(
                  ', ',
                )}; last backup-restore drill: none`,
          documentationUrl: 'http://localhost:3000/ops/annotations#databases',
          refusedTargets: unbound.map((target, i) => ({
            target,
            reason: refusals[i],
          })),
        },
      ],
      present: refusals.length > 0 ? 0 : 1,
      total: 1,
    };
    server.use(http.get(READINESS, () => HttpResponse.json(report)));
    return refusals;
  }

  async function renderPicker(formData: string | undefined, service?: string) {
    const onChange = jest.fn();
    const props = {
      formData,
      onChange,
      schema: { title: 'Database target', type: 'string' },
      idSchema: { $id: 'root_target' },
      formContext: { formData: { service } },
      uiSchema: {},
      rawErrors: [],
      required: true,
    } as unknown as FieldExtensionComponentProps<string | undefined>;
    await renderWithOpsApis(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <DatabaseTargetPicker {...props} />
      </TestApiProvider>,
    );
    return { onChange };
  }

  it("offers only the targets the form's service lists", async () => {
    const asked = catalogWith('payments-db, ledger-db');
    const { onChange } = await renderPicker(undefined, PAYMENTS_API_REF);
    const select = screen.getByRole('combobox', { name: 'Database target' });
    await screen.findByRole('option', { name: 'ledger-db' });
    expect(
      screen.getAllByRole('option').map(option => option.textContent),
    ).toEqual(['Choose a target', 'payments-db', 'ledger-db']);
    expect(asked).toEqual([PAYMENTS_API_REF]);
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.selectOptions(select, 'ledger-db');
    expect(onChange).toHaveBeenLastCalledWith('ledger-db');
    await userEvent.selectOptions(select, '');
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it('preselects the only target', async () => {
    catalogWith('payments-db');
    const { onChange } = await renderPicker(undefined, PAYMENTS_API_REF);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('payments-db'));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('keeps a target given in the URL that the service lists', async () => {
    catalogWith('payments-db, ledger-db');
    const { onChange } = await renderPicker('ledger-db', PAYMENTS_API_REF);
    const select = screen.getByRole('combobox', { name: 'Database target' });
    expect(select).toHaveValue('ledger-db');
    await screen.findByRole('option', { name: 'payments-db' });
    expect(select).toHaveValue('ledger-db');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('marks a given target the service does not list', async () => {
    catalogWith('payments-db, ledger-db');
    await renderPicker('orders-db', PAYMENTS_API_REF);
    expect(
      await screen.findByRole('option', {
        name: `orders-db (not listed by ${PAYMENTS_API_REF})`,
      }),
    ).toBeInTheDocument();
  });

  it('replaces the target of another service by the only one listed', async () => {
    catalogWith('payments-db');
    const { onChange } = await renderPicker('orders-db', PAYMENTS_API_REF);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith('payments-db'),
    );
  });

  it('says how to list targets when the service has none', async () => {
    catalogWith();
    await renderPicker(undefined, PAYMENTS_API_REF);
    expect(
      await screen.findByText(
        `${PAYMENTS_API_REF} lists no database targets.`,
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'How to add it' })).toHaveAttribute(
      'href',
      '/ops/annotations#databases',
    );
  });

  it('says when the service cannot be read', async () => {
    catalogWith('payments-db');
    await renderPicker(undefined, 'component:default/unknown-api');
    expect(
      await screen.findByText(
        'Could not load the database targets: component:default/unknown-api is not in the catalog',
      ),
    ).toBeInTheDocument();
  });

  it('warns about a target the service is not bound to, with the reason', async () => {
    catalogWith('payments-db, ledger-db');
    const [reason] = readinessWith(['payments-db', 'ledger-db'], ['ledger-db']);
    await renderPicker(undefined, PAYMENTS_API_REF);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `${PAYMENTS_API_REF} is not bound to this database target, so it cannot be chosen:`,
    );
    expect(alert).toHaveTextContent(`ledger-db: ${reason}`);
    expect(alert).not.toHaveTextContent('payments-db:');
    expect(
      await screen.findByRole('option', {
        name: `ledger-db (not bound to ${PAYMENTS_API_REF})`,
      }),
    ).toBeInTheDocument();
  });

  it('shows no warning when every target is bound', async () => {
    catalogWith('payments-db, ledger-db');
    readinessWith(['payments-db', 'ledger-db'], []);
    await renderPicker(undefined, PAYMENTS_API_REF);
    await screen.findByRole('option', { name: 'ledger-db' });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows no warning when readiness cannot be read', async () => {
    catalogWith('payments-db, ledger-db');
    server.use(
      http.get(READINESS, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'down' } },
          { status: 500 },
        ),
      ),
    );
    await renderPicker(undefined, PAYMENTS_API_REF);
    await screen.findByRole('option', { name: 'ledger-db' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for the service first', async () => {
    await renderPicker(undefined);
    expect(screen.getByText('Choose the service first')).toBeInTheDocument();
  });

  describe('validation', () => {
    async function errorsOf(target: string | undefined, service?: string) {
      const errors: string[] = [];
      const validation = {
        addError: (message: string) => errors.push(message),
      } as unknown as Parameters<typeof validateDatabaseTarget>[1];
      await validateDatabaseTarget(target, validation, {
        apiHolder: TestApiRegistry.from(
          [catalogApiRef, catalogApi],
          [opsApiRef, opsApi],
        ),
        formData: { service: service ?? null },
        schema: {},
      });
      return errors;
    }

    it('accepts a target the service lists', async () => {
      catalogWith('payments-db, ledger-db');
      expect(await errorsOf('ledger-db', PAYMENTS_API_REF)).toEqual([]);
    });

    it('refuses a target the service does not list, naming those it does', async () => {
      catalogWith('payments-db, ledger-db');
      expect(await errorsOf('orders-db', PAYMENTS_API_REF)).toEqual([
        `'orders-db' is not a database target of ${PAYMENTS_API_REF}; its opsdeck.dev/databases annotation lists payments-db, ledger-db`,
      ]);
    });

    it('refuses any target of a service that lists none', async () => {
      catalogWith();
      expect(await errorsOf('payments-db', PAYMENTS_API_REF)).toEqual([
        `${PAYMENTS_API_REF} lists no database targets in its opsdeck.dev/databases annotation`,
      ]);
    });

    it('refuses a service the catalog does not have', async () => {
      catalogWith('payments-db');
      expect(
        await errorsOf('payments-db', 'component:default/unknown-api'),
      ).toEqual(['component:default/unknown-api is not in the catalog']);
    });

    it('refuses a listed target the service is not bound to, with the reason', async () => {
      catalogWith('payments-db, ledger-db');
      const [reason] = readinessWith(
        ['payments-db', 'ledger-db'],
        ['ledger-db'],
      );
      expect(reason).toContain("database target 'ledger-db'");
      expect(await errorsOf('ledger-db', PAYMENTS_API_REF)).toEqual([reason]);
      expect(await errorsOf('payments-db', PAYMENTS_API_REF)).toEqual([]);
    });

    it('accepts a listed target when readiness cannot be read', async () => {
      catalogWith('payments-db, ledger-db');
      server.use(
        http.get(READINESS, () =>
          HttpResponse.json(
            { error: { name: 'Error', message: 'down' } },
            { status: 500 },
          ),
        ),
      );
      expect(await errorsOf('ledger-db', PAYMENTS_API_REF)).toEqual([]);
    });

    it('leaves an empty target to the required check', async () => {
      expect(await errorsOf(undefined, PAYMENTS_API_REF)).toEqual([]);
    });
  });
});
