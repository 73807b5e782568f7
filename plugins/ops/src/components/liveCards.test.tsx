import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { DrillStep } from '@opsdeck/plugin-ops-common';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { fakeOpsBackend } from '../__testUtils__/fakeOpsBackend';
import {
  aDrill,
  anEvent,
  anIncident,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../__testUtils__/fixtures';
import { renderWithOpsApis } from '../__testUtils__/renderWithOpsApis';
import { testSignalApi } from '../__testUtils__/testSignalApi';
import { DrillsCard } from './DrillsCard';
import { IncidentPage } from './IncidentPage';
import { IncidentsCard } from './IncidentsCard';

// What another person's change looks like on an open page: the backend's
// record changes (here in the fake backend's state) and a signal names it.
const channel = `opsdeck:entity:${PAYMENTS_API_REF}`;

const investigating = anIncident({
  id: 'inc-1',
  title: 'Card payments fail',
  status: 'investigating',
});

function step(name: string, status: DrillStep['status']): DrillStep {
  return {
    name,
    status,
    startedAt: minutesAgo(1),
    ...(status === 'running' ? {} : { finishedAt: minutesAgo(0) }),
  };
}

describe('live cards', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function onPaymentsApi(card: JSX.Element) {
    return <EntityProvider entity={paymentsApi}>{card}</EntityProvider>;
  }

  it('shows an incident declared elsewhere as soon as its signal arrives', async () => {
    const backend = fakeOpsBackend(server, { incidents: [investigating] });
    const signals = testSignalApi();
    await renderWithOpsApis(onPaymentsApi(<IncidentsCard />), {
      signals: signals.api,
    });
    await screen.findByText('Card payments fail');
    const reads = () => backend.requestsTo('GET', '/incidents').length;
    const readsBefore = reads();

    // A drill's change is not the incidents card's business.
    signals.publish(channel, { kind: 'drill', id: 'd', type: 'drill.step' });
    backend.state.incidents.unshift(
      anIncident({ id: 'inc-2', title: 'Refunds time out', severity: 'SEV1' }),
    );
    signals.publish(channel, {
      kind: 'incident',
      id: 'inc-2',
      type: 'incident.declared',
    });

    expect(await screen.findByText('Refunds time out')).toBeInTheDocument();
    expect(screen.getByText('2 open')).toBeInTheDocument();
    // One read of the open and one of the resolved incidents, for one signal.
    expect(reads()).toBe(readsBefore + 2);
  });

  it("follows a running drill's steps as they start and finish", async () => {
    const running = aDrill({
      id: 'drill-live',
      status: 'running',
      finishedAt: undefined,
      rtoSeconds: undefined,
      rpoSeconds: undefined,
      steps: [step('Take backup', 'running')],
    });
    const backend = fakeOpsBackend(server, { drills: [running] });
    const signals = testSignalApi();
    await renderWithOpsApis(onPaymentsApi(<DrillsCard />), {
      signals: signals.api,
    });
    const steps = () =>
      screen.getByRole('list', {
        name: 'Steps of the running backup restore of payments-db',
      });
    await waitFor(() =>
      expect(within(steps()).getAllByRole('listitem')).toHaveLength(1),
    );
    expect(steps()).toHaveTextContent('Take backup');

    backend.state.drills[0] = {
      ...running,
      steps: [
        step('Take backup', 'succeeded'),
        step('Find latest backup', 'running'),
      ],
    };
    signals.publish(channel, {
      kind: 'drill',
      id: 'drill-live',
      type: 'drill.step',
    });
    await waitFor(() =>
      expect(
        within(steps())
          .getAllByRole('listitem')
          .map(item => [
            item.textContent,
            item.querySelector('[data-status]')?.getAttribute('data-status'),
          ]),
      ).toEqual([
        ['Take backupsucceeded', 'succeeded'],
        ['Find latest backuprunning', 'running'],
      ]),
    );

    // Finished: the row shows the outcome, no longer the steps.
    backend.state.drills[0] = { ...running, status: 'passed' };
    signals.publish(channel, {
      kind: 'drill',
      id: 'drill-live',
      type: 'drill.changed',
    });
    await waitFor(() =>
      expect(screen.queryByRole('list')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('passed').closest('[data-status]'),
    ).toBeInTheDocument();
  });

  it('reads a running drill again every 3 seconds in an app without signals', async () => {
    const running = aDrill({
      id: 'drill-polled',
      status: 'running',
      finishedAt: undefined,
      steps: [step('Take backup', 'running')],
    });
    const backend = fakeOpsBackend(server, { drills: [running] });
    await renderWithOpsApis(onPaymentsApi(<DrillsCard />), {
      signals: 'none',
    });
    await screen.findByText('Take backup');

    backend.state.drills[0] = {
      ...running,
      steps: [step('Take backup', 'succeeded'), step('Restore', 'running')],
    };
    expect(
      await screen.findByText('Restore', {}, { timeout: 4500 }),
    ).toBeInTheDocument();
  });

  it('reads the incident again on its own signal, and only on its own', async () => {
    const backend = fakeOpsBackend(server, {
      incidents: [investigating],
      events: [
        anEvent({ id: 'e1', message: 'Declared SEV2: Card payments fail' }),
      ],
    });
    const signals = testSignalApi();
    await renderWithOpsApis(
      <Routes>
        <Route path="/ops/incidents/:id" element={<IncidentPage />} />
      </Routes>,
      { routeEntries: ['/ops/incidents/inc-1'], signals: signals.api },
    );
    await screen.findByText('Declared SEV2: Card payments fail');
    await waitFor(() =>
      expect(signals.subscribedChannels()).toEqual([channel]),
    );
    const reads = () => backend.requestsTo('GET', '/incidents/inc-1').length;
    const readsBefore = reads();

    signals.publish(channel, {
      kind: 'incident',
      id: 'inc-other',
      type: 'incident.changed',
    });
    backend.state.events.push(
      anEvent({
        id: 'e2',
        type: 'note',
        message: 'Failing over payments-db',
        createdAt: minutesAgo(0),
      }),
    );
    signals.publish(channel, {
      kind: 'incident',
      id: 'inc-1',
      type: 'incident.note',
    });

    expect(
      await screen.findByText('Failing over payments-db'),
    ).toBeInTheDocument();
    expect(reads()).toBe(readsBefore + 1);
  });
});
