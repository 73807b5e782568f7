import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import {
  aPostmortem,
  fakePostmortemsBackend,
} from '../../__testUtils__/fakePostmortemsBackend';
import { anIncident } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { PostmortemPage } from '../PostmortemPage';
import { IncidentPage } from './IncidentPage';

describe('IncidentPage: its post-mortem', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function renderPage(
    authorize:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    return renderWithOpsApis(
      <Routes>
        <Route path="/ops/incidents/:id" element={<IncidentPage />} />
        <Route path="/ops/postmortems/:id" element={<PostmortemPage />} />
      </Routes>,
      { routeEntries: ['/ops/incidents/inc-1'], authorize },
    );
  }

  it('starts the post-mortem of a resolved incident and opens it', async () => {
    fakeOpsBackend(server, {
      incidents: [anIncident({ status: 'resolved' })],
    });
    const backend = fakePostmortemsBackend(server);
    const user = userEvent.setup();
    await renderPage();

    const start = await screen.findByRole('button', {
      name: 'Start post-mortem',
    });
    await waitFor(() => expect(start).toBeEnabled());
    await user.click(start);

    expect(
      await screen.findByRole('heading', { name: 'Timeline' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Post-mortem details' }),
    ).toBeInTheDocument();
    expect(backend.state.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/ops/incidents/inc-1/postmortem',
      }),
    ]);
  });

  it('does not offer it while the impact lasts', async () => {
    fakeOpsBackend(server, {
      incidents: [anIncident({ status: 'investigating' })],
    });
    fakePostmortemsBackend(server);
    await renderPage();

    await screen.findByRole('heading', { name: 'Card payments fail' });
    await screen.findByRole('button', { name: 'Add note' });
    expect(
      screen.queryByRole('button', { name: 'Start post-mortem' }),
    ).toBeNull();
  });

  it('links to the post-mortem when it has one', async () => {
    fakeOpsBackend(server, {
      incidents: [anIncident({ status: 'resolved' })],
    });
    fakePostmortemsBackend(server, {
      postmortems: [aPostmortem({ id: 'pm-7' })],
    });
    await renderPage();

    expect(
      await screen.findByRole('link', { name: 'Post-mortem' }),
    ).toHaveAttribute('href', '/ops/postmortems/pm-7');
    expect(
      screen.queryByRole('button', { name: 'Start post-mortem' }),
    ).toBeNull();
  });

  it('disables Start for users who may not change the incident', async () => {
    fakeOpsBackend(server, {
      incidents: [anIncident({ status: 'mitigated' })],
    });
    fakePostmortemsBackend(server);
    await renderPage(AuthorizeResult.DENY);

    const start = await screen.findByRole('button', {
      name: 'Start post-mortem',
    });
    await waitFor(() => expect(start).toBeDisabled());
  });
});
