import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import {
  anIncident,
  BACKEND,
  errorBody,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { IncidentsCard } from './IncidentsCard';

const resolvedYesterday = anIncident({
  id: 'inc-resolved',
  title: 'Slow refunds',
  severity: 'SEV3',
  status: 'resolved',
  detectedAt: minutesAgo(26 * 60),
  resolvedAt: minutesAgo(24 * 60),
});
const investigating = anIncident({
  id: 'inc-investigating',
  title: 'Card payments fail',
  severity: 'SEV1',
  status: 'investigating',
  commander: 'user:default/alice',
  detectedAt: minutesAgo(120),
});
const open = anIncident({
  id: 'inc-open',
  title: 'Webhook retries pile up',
  severity: 'SEV4',
  status: 'open',
  detectedAt: minutesAgo(5),
});

describe('IncidentsCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function renderCard(options: Parameters<typeof renderWithOpsApis>[1] = {}) {
    return renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <IncidentsCard />
      </EntityProvider>,
      options,
    );
  }

  function table() {
    return screen.findByRole('table', { name: 'Incidents of payments-api' });
  }

  function rowOf(title: string) {
    return screen.getByRole('row', { name: new RegExp(title) });
  }

  it('lists the open incidents first, then the recently resolved', async () => {
    // The backend lists newest first, whatever the status.
    const backend = fakeOpsBackend(server, {
      incidents: [open, resolvedYesterday, investigating],
    });

    await renderCard();

    const rows = within(await table()).getAllByRole('row');
    expect(rows.map(row => row.textContent)).toEqual([
      expect.stringContaining('Severity'),
      expect.stringContaining('Webhook retries pile up'),
      expect.stringContaining('Card payments fail'),
      'Recently resolved',
      expect.stringContaining('Slow refunds'),
    ]);
    expect(screen.getByText('2 open')).toBeInTheDocument();

    const queries = backend
      .requestsTo('GET', '/incidents')
      .map(r => r.url.searchParams);
    expect(queries.map(q => q.get('entityRef'))).toEqual([
      PAYMENTS_API_REF,
      PAYMENTS_API_REF,
    ]);
    expect(queries.map(q => q.getAll('status'))).toEqual([
      ['open', 'investigating', 'mitigated'],
      ['resolved'],
    ]);
  });

  it('shows severity, status, age and commander, and links to the incident', async () => {
    fakeOpsBackend(server, { incidents: [investigating, resolvedYesterday] });

    await renderCard();
    await table();

    const row = rowOf('Card payments fail');
    expect(within(row).getByText('SEV1')).toBeInTheDocument();
    expect(within(row).getByRole('combobox', { name: 'Status' })).toHaveValue(
      'investigating',
    );
    expect(within(row).getByText('opened 2 hours ago')).toBeInTheDocument();
    expect(within(row).getByText('alice')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'Card payments fail' }),
    ).toHaveAttribute('href', '/ops/incidents/inc-investigating');

    expect(
      within(rowOf('Slow refunds')).getByText('resolved 1 day ago'),
    ).toBeInTheDocument();
  });

  it('says so when nothing is open', async () => {
    fakeOpsBackend(server, { incidents: [resolvedYesterday] });

    await renderCard();

    expect(await screen.findByText('No open incidents')).toBeInTheDocument();
  });

  it('declares an incident on the entity and lists it', async () => {
    const backend = fakeOpsBackend(server, { incidents: [investigating] });
    const user = userEvent.setup();

    await renderCard();
    await table();
    await user.click(screen.getByRole('button', { name: 'Declare incident' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Declare incident',
    });
    const declare = within(dialog).getByRole('button', { name: 'Declare' });
    expect(declare).toBeDisabled();

    await user.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Checkout times out',
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: /Severity/ }),
      'SEV2',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Summary/ }),
      'p99 above 5 s since the 14:02 deploy',
    );
    await user.click(declare);

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.requestsTo('POST', '/incidents')[0].body).toEqual({
      entityRef: PAYMENTS_API_REF,
      title: 'Checkout times out',
      severity: 'SEV2',
      summary: 'p99 above 5 s since the 14:02 deploy',
    });
    expect(
      await screen.findByRole('link', { name: 'Checkout times out' }),
    ).toBeInTheDocument();
    expect(screen.getByText('2 open')).toBeInTheDocument();
  });

  it("keeps the dialog open with the backend's reason when declaring fails", async () => {
    fakeOpsBackend(server, { incidents: [] });
    // Registered last, so it answers before the fake backend.
    server.use(
      http.post(`${BACKEND}/incidents`, () =>
        HttpResponse.json(
          errorBody('InputError', "Invalid severity 'SEV9'", 400),
          { status: 400 },
        ),
      ),
    );
    const user = userEvent.setup();

    await renderCard();
    await user.click(
      await screen.findByRole('button', { name: 'Declare incident' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Anything',
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: /Severity/ }),
      'SEV1',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Declare' }));

    expect(
      await within(dialog).findByText(
        "Could not declare the incident: Invalid severity 'SEV9'",
      ),
    ).toBeInTheDocument();
  });

  it('moves an incident on from the version it shows', async () => {
    const backend = fakeOpsBackend(server, {
      incidents: [{ ...investigating, version: 7 }],
    });
    const user = userEvent.setup();

    await renderCard();
    await table();
    await user.selectOptions(
      within(rowOf('Card payments fail')).getByRole('combobox', {
        name: 'Status',
      }),
      'mitigated',
    );

    await waitFor(() =>
      expect(
        within(rowOf('Card payments fail')).getByRole('combobox', {
          name: 'Status',
        }),
      ).toHaveValue('mitigated'),
    );
    expect(backend.requestsTo('PATCH', '/incidents/inc-investigating')).toEqual(
      [expect.objectContaining({ body: { version: 7, status: 'mitigated' } })],
    );
  });

  it('tells the user and reloads when someone else changed the incident first', async () => {
    const backend = fakeOpsBackend(server, { incidents: [investigating] });
    const user = userEvent.setup();

    await renderCard();
    await table();
    // Someone else mitigates it meanwhile.
    backend.state.incidents[0] = {
      ...investigating,
      status: 'mitigated',
      version: investigating.version + 1,
    };
    await user.selectOptions(
      within(rowOf('Card payments fail')).getByRole('combobox', {
        name: 'Status',
      }),
      'resolved',
    );

    expect(
      await screen.findByText(/was changed by someone else/),
    ).toHaveTextContent(
      '“Card payments fail” was changed by someone else, so it was not set to Resolved. It has been reloaded: check it and try again.',
    );
    await waitFor(() =>
      expect(
        within(rowOf('Card payments fail')).getByRole('combobox', {
          name: 'Status',
        }),
      ).toHaveValue('mitigated'),
    );
  });

  it("keeps the status and shows the backend's reason when a change is refused", async () => {
    fakeOpsBackend(server, { incidents: [investigating] });
    server.use(
      http.patch(`${BACKEND}/incidents/:id`, () =>
        HttpResponse.json(
          errorBody('NotAllowedError', 'You do not own payments-api', 403),
          { status: 403 },
        ),
      ),
    );
    const user = userEvent.setup();

    await renderCard();
    await table();
    await user.selectOptions(
      within(rowOf('Card payments fail')).getByRole('combobox', {
        name: 'Status',
      }),
      'resolved',
    );

    expect(
      await screen.findByText(
        'Could not set “Card payments fail” to Resolved: You do not own payments-api',
      ),
    ).toBeInTheDocument();
    const status = within(rowOf('Card payments fail')).getByRole('combobox', {
      name: 'Status',
    });
    expect(status).toHaveValue('investigating');
    expect(status).toBeEnabled();
  });

  it('adds a note to an incident', async () => {
    const backend = fakeOpsBackend(server, { incidents: [investigating] });
    const user = userEvent.setup();

    await renderCard();
    await table();
    await user.click(
      within(rowOf('Card payments fail')).getByRole('button', {
        name: 'Add note',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'Rolled back to 1.4.2',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add note' }));

    expect(
      await screen.findByText('Added a note to “Card payments fail”'),
    ).toBeInTheDocument();
    expect(
      backend.requestsTo('POST', '/incidents/inc-investigating/events')[0].body,
    ).toEqual({ type: 'note', message: 'Rolled back to 1.4.2' });
  });

  it('disables every write action for users who may not change incidents', async () => {
    fakeOpsBackend(server, { incidents: [investigating] });
    const permissionRequests: EvaluatePermissionRequest[] = [];
    const user = userEvent.setup();

    await renderCard({
      authorize: request => {
        permissionRequests.push(request);
        return AuthorizeResult.DENY;
      },
    });
    await table();

    const declare = screen.getByRole('button', { name: 'Declare incident' });
    await waitFor(() => expect(declare).toBeDisabled());
    const row = rowOf('Card payments fail');
    expect(
      within(row).getByRole('combobox', { name: 'Status' }),
    ).toBeDisabled();
    expect(
      within(row).getByRole('button', { name: 'Add note' }),
    ).toBeDisabled();

    await user.hover(declare.parentElement!);
    expect(
      await screen.findByText(
        'Only the owners of this service can declare or change its incidents',
      ),
    ).toBeInTheDocument();
    expect(permissionRequests[0]).toEqual(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'ops.incident.write' }),
        resourceRef: PAYMENTS_API_REF,
      }),
    );
  });

  it('enables them for users who may', async () => {
    fakeOpsBackend(server, { incidents: [investigating] });

    await renderCard({ authorize: AuthorizeResult.ALLOW });
    await table();

    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Declare incident' }),
      ).toBeEnabled(),
    );
    expect(
      within(rowOf('Card payments fail')).getByRole('combobox', {
        name: 'Status',
      }),
    ).toBeEnabled();
  });
});
