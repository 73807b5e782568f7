import { Entity } from '@backstage/catalog-model';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import { anEvent, anIncident, minutesAgo } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { IncidentPage } from './IncidentPage';

const resolved = anIncident({
  id: 'inc-1',
  title: 'Card payments fail',
  severity: 'SEV1',
  status: 'resolved',
  commander: 'user:default/alice',
  summary: 'Checkout returned 502 for card payments',
  rootCause: 'A connection pool of 5 after the 1.4.3 deploy',
  postmortemUrl: 'https://wiki.example.com/postmortems/42',
  detectedAt: minutesAgo(180),
  mitigatedAt: minutesAgo(180 - 42),
  resolvedAt: minutesAgo(180 - 95),
  version: 4,
});

const timeline = [
  anEvent({
    id: 'e1',
    type: 'created',
    message: 'Declared SEV1: Card payments fail',
    createdAt: minutesAgo(180),
  }),
  anEvent({
    id: 'e2',
    type: 'status-changed',
    message: 'Status open → investigating',
    data: { from: 'open', to: 'investigating' },
    author: 'user:default/alice',
    createdAt: minutesAgo(170),
  }),
  anEvent({
    id: 'e3',
    type: 'action',
    message: 'Rolled back payments-api to 1.4.2',
    author: 'plugin:scaffolder',
    createdAt: minutesAgo(140),
  }),
  anEvent({
    id: 'e4',
    type: 'note',
    message: 'Error rate back to normal',
    author: 'user:default/alice',
    createdAt: minutesAgo(138),
  }),
];

describe('IncidentPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const alice: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { profile: { displayName: 'Alice Example' }, memberOf: [] },
  };

  function renderPage(id = 'inc-1') {
    return renderWithOpsApis(
      <Routes>
        <Route path="/ops/incidents/:id" element={<IncidentPage />} />
      </Routes>,
      { routeEntries: [`/ops/incidents/${id}`], catalogEntities: [alice] },
    );
  }

  function detail(label: string) {
    const table = screen.getByRole('table', { name: 'Incident details' });
    return within(table).getByText(label, { selector: 'p' }).closest('tr')!;
  }

  async function timelineItems() {
    const list = await screen.findByRole('list', { name: 'Timeline' });
    return within(list).getAllByRole('listitem');
  }

  it('shows the incident, its times against its targets, and its timeline oldest first', async () => {
    fakeOpsBackend(server, { incidents: [resolved], events: timeline });

    await renderPage();

    expect(
      await screen.findByRole('heading', { name: 'Card payments fail' }),
    ).toBeInTheDocument();
    const details = screen.getByRole('table', { name: 'Incident details' });
    const field = (name: string) =>
      within(details).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(field('Severity')).toHaveTextContent('SEV1 Critical');
    expect(field('Status')).toHaveTextContent('Resolved');
    expect(
      within(field('Service')).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(field('Commander')).toHaveTextContent('alice');
    // SEV1: resolve within an hour.
    expect(field('Mitigated')).toHaveTextContent('42m (target 1h) ✓');
    expect(
      within(field('Mitigated')).getByRole('img', {
        name: 'Mitigation within target',
      }),
    ).toBeInTheDocument();
    expect(field('Resolved')).toHaveTextContent('1h 35m (target 1h) ✗');
    expect(field('Summary')).toHaveTextContent(
      'Checkout returned 502 for card payments',
    );
    expect(field('Root cause')).toHaveTextContent(
      'A connection pool of 5 after the 1.4.3 deploy',
    );
    expect(within(field('Postmortem')).getByRole('link')).toHaveAttribute(
      'href',
      'https://wiki.example.com/postmortems/42',
    );

    const items = await timelineItems();
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringContaining('Declared SEV1: Card payments fail'),
      expect.stringContaining('Status open → investigating'),
      expect.stringContaining('Rolled back payments-api to 1.4.2'),
      expect.stringContaining('Error rate back to normal'),
    ]);
    expect(within(items[0]).getByTitle('Declared')).toBeInTheDocument();
    expect(within(items[1]).getByTitle('Status changed')).toBeInTheDocument();
    expect(within(items[2]).getByTitle('Action')).toBeInTheDocument();
    expect(within(items[3]).getByTitle('Note')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('alice');
    expect(items[1]).toHaveTextContent('2 hours ago');
    // A service is named as it is, not linked as if it were a user.
    expect(items[2]).toHaveTextContent('plugin:scaffolder');
    expect(within(items[2]).queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows the alert, its runbook, who was on call and the actions taken', async () => {
    fakeOpsBackend(server, {
      incidents: [
        {
          ...resolved,
          labels: {
            source: 'alertmanager',
            alertname: 'HighErrorRate',
            runbook:
              'http://localhost:3000/docs/default/component/payments-api/runbooks/high-error-rate/',
            'oncall/primary': 'user:default/amara.okafor',
          },
        },
      ],
      events: timeline,
    });
    await renderPage();
    const details = await screen.findByRole('table', {
      name: 'Incident details',
    });
    const field = (name: string) =>
      within(details).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(field('Alert')).toHaveTextContent('HighErrorRate');
    // The runbook opens in the app, in TechDocs.
    expect(within(field('Runbook')).getByRole('link')).toHaveAttribute(
      'href',
      '/docs/default/component/payments-api/runbooks/high-error-rate/',
    );
    expect(
      within(field('On call when it opened')).getByRole('link', {
        name: /amara.okafor/,
      }),
    ).toBeInTheDocument();
    expect(field('Actions taken')).toHaveTextContent(
      'Rolled back payments-api to 1.4.2',
    );
  });

  it('moves the incident on and shows the change on the timeline', async () => {
    const open = anIncident({ id: 'inc-1', status: 'open', version: 1 });
    const backend = fakeOpsBackend(server, {
      incidents: [open],
      events: [timeline[0]],
    });
    const user = userEvent.setup();

    await renderPage();
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Status' }),
      'investigating',
    );

    await waitFor(async () => expect(await timelineItems()).toHaveLength(2));
    const items = await timelineItems();
    expect(items[1]).toHaveTextContent('Status open → investigating');
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue(
      'investigating',
    );

    // The next change is based on the version the first one produced.
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Status' }),
      'resolved',
    );
    await waitFor(async () => expect(await timelineItems()).toHaveLength(3));
    expect(
      backend.requestsTo('PATCH', '/incidents/inc-1').map(r => r.body),
    ).toEqual([
      { version: 1, status: 'investigating' },
      { version: 2, status: 'resolved' },
    ]);
  });

  it('reloads and says so when someone else changed the incident first', async () => {
    const open = anIncident({ id: 'inc-1', status: 'open', version: 1 });
    const backend = fakeOpsBackend(server, { incidents: [open] });
    const user = userEvent.setup();

    await renderPage();
    const status = await screen.findByRole('combobox', { name: 'Status' });
    backend.state.incidents[0] = { ...open, status: 'mitigated', version: 2 };
    await user.selectOptions(status, 'resolved');

    expect(
      await screen.findByText(/was changed by someone else/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue(
        'mitigated',
      ),
    );
  });

  it('names the commander from the catalog, raises the severity and records the root cause', async () => {
    const open = anIncident({
      id: 'inc-1',
      status: 'investigating',
      severity: 'SEV3',
      version: 1,
    });
    const backend = fakeOpsBackend(server, { incidents: [open] });
    const user = userEvent.setup();

    await renderPage();
    await user.click(
      await screen.findByRole('button', {
        name: 'Commander, severity, root cause',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Commander' }),
      'Ali',
    );
    await user.click(
      await screen.findByRole('option', { name: 'Alice Example (alice)' }),
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Severity' }),
      'SEV1',
    );
    await user.click(
      within(dialog).getByRole('textbox', { name: 'Root cause' }),
    );
    await user.paste('Connection pool of 5 after the 1.4.3 deploy');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.requestsTo('PATCH', '/incidents/inc-1')[0].body).toEqual({
      version: 1,
      commander: 'user:default/alice',
      severity: 'SEV1',
      rootCause: 'Connection pool of 5 after the 1.4.3 deploy',
    });
    await waitFor(() =>
      expect(detail('Root cause')).toHaveTextContent(
        'Connection pool of 5 after the 1.4.3 deploy',
      ),
    );
    expect(detail('Commander')).toHaveTextContent('alice');
  }, 60_000);

  it('marks the response started, against the severity response target', async () => {
    const open = anIncident({
      id: 'inc-1',
      status: 'investigating',
      severity: 'SEV1',
      detectedAt: minutesAgo(3),
      version: 1,
    });
    const backend = fakeOpsBackend(server, { incidents: [open] });
    const user = userEvent.setup();

    await renderPage();
    await waitFor(() =>
      expect(detail('Response started')).toHaveTextContent(/not yet/),
    );
    const before = Date.now();
    await user.click(
      await screen.findByRole('button', { name: 'Response started' }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Response started' }),
      ).not.toBeInTheDocument(),
    );
    const [patch] = backend.requestsTo('PATCH', '/incidents/inc-1');
    const body = patch.body as { startedAt: string };
    expect(Date.parse(body.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(detail('Response started')).not.toHaveTextContent(/not yet/);
  });

  it('adds a note to the timeline', async () => {
    const backend = fakeOpsBackend(server, {
      incidents: [resolved],
      events: [timeline[0]],
    });
    const user = userEvent.setup();

    await renderPage();
    await user.click(await screen.findByRole('button', { name: 'Add note' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'Customers refunded',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add note' }));

    await waitFor(async () => expect(await timelineItems()).toHaveLength(2));
    const items = await timelineItems();
    expect(items[1]).toHaveTextContent('Customers refunded');
    expect(within(items[1]).getByTitle('Note')).toBeInTheDocument();
    expect(
      backend.requestsTo('POST', '/incidents/inc-1/events')[0].body,
    ).toEqual({ type: 'note', message: 'Customers refunded' });
  });

  it("shows the backend's message for an unknown incident", async () => {
    fakeOpsBackend(server, { incidents: [] });

    await renderPage('inc-404');

    expect(
      await screen.findByText("No incident with id 'inc-404'"),
    ).toBeInTheDocument();
  });

  it('shows the latest 100 events and loads the earlier ones on demand', async () => {
    const long = Array.from({ length: 130 }, (_, i) =>
      anEvent({
        id: `n${i + 1}`,
        type: 'note',
        message: `Note ${i + 1}`,
        createdAt: minutesAgo(300 - i),
      }),
    );
    const backend = fakeOpsBackend(server, {
      incidents: [resolved],
      events: long,
    });

    await renderPage();

    await waitFor(async () => expect(await timelineItems()).toHaveLength(100));
    expect((await timelineItems())[0]).toHaveTextContent('Note 31');
    expect((await timelineItems())[99]).toHaveTextContent('Note 130');

    await userEvent.click(
      screen.getByRole('button', { name: 'Show earlier events' }),
    );

    await waitFor(async () => expect(await timelineItems()).toHaveLength(130));
    const items = await timelineItems();
    expect(items[0]).toHaveTextContent('Note 1');
    expect(items[30]).toHaveTextContent('Note 31');
    expect(items[129]).toHaveTextContent('Note 130');
    expect(
      screen.queryByRole('button', { name: 'Show earlier events' }),
    ).not.toBeInTheDocument();
    expect(
      backend
        .requestsTo('GET', '/incidents/inc-1/events')
        .map(r => r.url.searchParams.get('cursor')),
    ).toEqual([null, '30']);
  });
});
