import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Postmortem } from '@opsdeck/plugin-ops-common';
import { SignalApi } from '@backstage/plugin-signals-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import {
  anActionItem,
  aPostmortem,
  fakePostmortemsBackend,
} from '../../__testUtils__/fakePostmortemsBackend';
import {
  BACKEND,
  errorBody,
  minutesAgo,
  PAYMENTS_API_REF,
} from '../../__testUtils__/fixtures';
import { testSignalApi } from '../../__testUtils__/testSignalApi';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { PostmortemPage } from './PostmortemPage';

const amara: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'amara', namespace: 'default' },
  spec: { profile: { displayName: 'Amara Okafor' }, memberOf: [] },
};
const jonas: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jonas', namespace: 'default' },
  spec: { profile: { displayName: 'Jonas Weber' }, memberOf: [] },
};

const teamPayments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', profile: { displayName: 'Payments' }, children: [] },
};

const CHANNEL = `opsdeck:entity:${PAYMENTS_API_REF}`;

describe('PostmortemPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function renderPage(
    options: {
      authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      signals?: SignalApi;
    } = {},
  ) {
    return renderWithOpsApis(
      <Routes>
        <Route path="/ops/postmortems/:id" element={<PostmortemPage />} />
      </Routes>,
      {
        routeEntries: ['/ops/postmortems/pm-1'],
        catalogEntities: [teamPayments, amara, jonas],
        authorize: options.authorize,
        signals: options.signals,
      },
    );
  }

  const button = (name: string) => screen.getByRole('button', { name });

  it('shows the draft rendered, its due date flagged when overdue, and a way back to the incident', async () => {
    fakePostmortemsBackend(server, {
      postmortems: [aPostmortem({ dueAt: minutesAgo(60), overdue: true })],
    });

    await renderPage();

    expect(
      await screen.findByRole('heading', { name: 'Timeline' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Checkout returned 502.')).toBeInTheDocument();
    const details = screen.getByRole('table', { name: 'Post-mortem details' });
    expect(
      within(details).getByRole('row', { name: /^Status/ }),
    ).toHaveTextContent('Draft');
    expect(
      within(details).getByRole('row', { name: /^Due/ }),
    ).toHaveTextContent('Overdue');
    expect(
      screen.getByRole('link', { name: 'Back to the incident' }),
    ).toHaveAttribute('href', '/ops/incidents/inc-1');
  });

  it('offers the status changes each status allows: review, then publish or back to draft', async () => {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();

    await waitFor(() => expect(button('Submit for review')).toBeEnabled());
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
    await user.click(button('Submit for review'));

    expect(await screen.findByText('Submitted for review')).toBeInTheDocument();
    await waitFor(() => expect(button('Publish')).toBeEnabled());
    expect(button('Back to draft')).toBeEnabled();
    await user.click(button('Publish'));

    expect(await screen.findByText('Published')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Back to draft' }),
      ).toBeNull(),
    );
    expect(button('Edit')).toBeDisabled();
    expect(
      backend.state.requests
        .filter(r => r.path.endsWith('/status'))
        .map(r => r.body),
    ).toEqual([
      { status: 'in-review', version: 1 },
      { status: 'published', version: 2 },
    ]);
  });

  it('saves an edit from the version it opened, with a live preview', async () => {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();

    await waitFor(() => expect(button('Edit')).toBeEnabled());
    await user.click(button('Edit'));
    const markdown = screen.getByRole('textbox', { name: 'Markdown' });
    await user.clear(markdown);
    await user.type(markdown, '## Root cause\n\nA pool of 5');
    const preview = screen.getByRole('region', { name: 'Preview' });
    expect(
      within(preview).getByRole('heading', { name: 'Root cause' }),
    ).toBeInTheDocument();
    await user.click(button('Save'));

    await waitFor(() =>
      expect(screen.queryByRole('textbox', { name: 'Markdown' })).toBeNull(),
    );
    expect(await screen.findByText('A pool of 5')).toBeInTheDocument();
    expect(backend.state.requests.find(r => r.method === 'PUT')?.body).toEqual({
      version: 1,
      body: '## Root cause\n\nA pool of 5',
    });
    expect(backend.state.postmortems[0].version).toBe(2);
  });

  it('refuses a save over someone else’s and keeps the text', async () => {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();

    await waitFor(() => expect(button('Edit')).toBeEnabled());
    await user.click(button('Edit'));
    // Someone else saves while this user types.
    backend.state.postmortems[0] = {
      ...backend.state.postmortems[0],
      body: 'Their version',
      version: 2,
    };
    const markdown = screen.getByRole('textbox', { name: 'Markdown' });
    await user.type(markdown, 'My addition');
    await user.click(button('Save'));

    expect(
      await screen.findByText(/changed by someone else since you opened it/),
    ).toBeInTheDocument();
    expect(markdown).toHaveValue(`${aPostmortem().body}My addition`);
    expect(backend.state.postmortems[0].body).toBe('Their version');

    await user.click(button('Reload'));
    expect(await screen.findByText('Their version')).toBeInTheDocument();
  });

  it('keeps the text being typed when a read in the background fails, and says so', async () => {
    fakePostmortemsBackend(server, { postmortems: [aPostmortem()] });
    const signals = testSignalApi();
    const user = userEvent.setup();
    await renderPage({ signals: signals.api });

    await waitFor(() => expect(button('Edit')).toBeEnabled());
    await user.click(button('Edit'));
    const markdown = screen.getByRole('textbox', { name: 'Markdown' });
    await user.type(markdown, ' Half a sentence');

    // Someone else changes the post-mortem; reading it again meets a backend
    // that is restarting.
    server.use(
      http.get(
        `${BACKEND}/postmortems/:id`,
        () =>
          HttpResponse.json(
            errorBody(
              'ServiceUnavailableError',
              'The backend is restarting',
              503,
            ),
            { status: 503 },
          ),
        { once: true },
      ),
    );
    signals.publish(CHANNEL, {
      kind: 'postmortem',
      id: 'pm-1',
      type: 'postmortem.changed',
    });

    expect(
      (await screen.findAllByText(/The backend is restarting/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('textbox', { name: 'Markdown' })).toHaveValue(
      `${aPostmortem().body} Half a sentence`,
    );

    // The next read answers: the error goes, the text stays.
    signals.publish(CHANNEL, {
      kind: 'postmortem',
      id: 'pm-1',
      type: 'postmortem.changed',
    });
    await waitFor(() =>
      expect(screen.queryByText(/The backend is restarting/)).toBeNull(),
    );
    expect(screen.getByRole('textbox', { name: 'Markdown' })).toHaveValue(
      `${aPostmortem().body} Half a sentence`,
    );
  });

  it('names authors and reviewers from the catalog’s users', async () => {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();

    await waitFor(() => expect(button('Authors and reviewers')).toBeEnabled());
    await user.click(button('Authors and reviewers'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Authors and reviewers of “Post-mortem: Card payments fail”',
    });
    // guest, the author so far, is kept; Amara joins, Jonas reviews
    await user.click(within(dialog).getByRole('textbox', { name: 'Authors' }));
    await user.click(
      await screen.findByRole('option', { name: 'Amara Okafor (amara)' }),
    );
    await user.click(
      within(dialog).getByRole('textbox', { name: 'Reviewers' }),
    );
    await user.click(
      await screen.findByRole('option', { name: 'Jonas Weber (jonas)' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const details = screen.getByRole('table', { name: 'Post-mortem details' });
    await waitFor(() =>
      expect(
        within(details).getByRole('row', { name: /^Reviewers/ }),
      ).toHaveTextContent('jonas'),
    );
    expect(
      within(details).getByRole('row', { name: /^Authors/ }),
    ).toHaveTextContent(/guest.*amara/);
    expect(backend.state.requests.find(r => r.method === 'PUT')?.body).toEqual({
      version: 1,
      body: aPostmortem().body,
      authors: ['user:default/guest', 'user:default/amara'],
      reviewers: ['user:default/jonas'],
    });
  });

  async function nameJonasReviewer(user: ReturnType<typeof userEvent.setup>) {
    await waitFor(() => expect(button('Authors and reviewers')).toBeEnabled());
    await user.click(button('Authors and reviewers'));
    const dialog = await screen.findByRole('dialog', {
      name: /^Authors and reviewers of/,
    });
    await user.click(
      within(dialog).getByRole('textbox', { name: 'Reviewers' }),
    );
    await user.click(
      await screen.findByRole('option', { name: 'Jonas Weber (jonas)' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    return dialog;
  }

  /** The page open on version 1, when someone else saves `change` as version 2. */
  async function openWhenSomeoneElseSaves(change: Partial<Postmortem>) {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();
    await screen.findByText(/Checkout returned 502/);
    backend.state.postmortems[0] = {
      ...backend.state.postmortems[0],
      ...change,
      version: 2,
    };
    return { backend, user };
  }

  it('keeps the reviewers named over a text someone else saved meanwhile, and their text', async () => {
    const { backend, user } = await openWhenSomeoneElseSaves({
      body: 'Their version',
    });

    await nameJonasReviewer(user);

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.state.postmortems[0]).toMatchObject({
      body: 'Their version',
      reviewers: ['user:default/jonas'],
      version: 3,
    });
    const details = screen.getByRole('table', { name: 'Post-mortem details' });
    await waitFor(() =>
      expect(
        within(details).getByRole('row', { name: /^Reviewers/ }),
      ).toHaveTextContent('jonas'),
    );
  });

  it('refuses to overwrite reviewers someone else named meanwhile, and says so', async () => {
    const { backend, user } = await openWhenSomeoneElseSaves({
      reviewers: ['user:default/amara'],
    });

    const dialog = await nameJonasReviewer(user);

    expect(
      await within(dialog).findByText(
        /someone else changed the authors or reviewers since you opened this dialog/,
      ),
    ).toBeVisible();
    expect(backend.state.postmortems[0]).toMatchObject({
      reviewers: ['user:default/amara'],
      version: 2,
    });
    expect(backend.state.requests.filter(r => r.method === 'PUT')).toHaveLength(
      1,
    );
  });

  it('adds an action item owned by a team of the catalog and marks it done', async () => {
    const backend = fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
    });
    const user = userEvent.setup();
    await renderPage();

    const form = await screen.findByRole('form', {
      name: 'Add an action item',
    });
    await user.type(
      within(form).getByRole('textbox', { name: 'Action item' }),
      'Alert on pool saturation',
    );
    await user.click(within(form).getByRole('textbox', { name: 'Owner' }));
    await user.click(await screen.findByRole('option', { name: /Payments/ }));
    await user.type(within(form).getByLabelText('Due date'), '2026-12-24');
    await waitFor(() => expect(button('Add action item')).toBeEnabled());
    await user.click(button('Add action item'));

    const table = await screen.findByRole('table', { name: 'Action items' });
    const row = await within(table).findByRole('row', {
      name: /Alert on pool saturation/,
    });
    expect(row).toHaveTextContent('team-payments');
    expect(row).toHaveTextContent('24 Dec 2026');
    expect(row).toHaveTextContent('Open');
    expect(backend.state.actionItems[0]).toEqual(
      expect.objectContaining({
        title: 'Alert on pool saturation',
        ownerRef: 'group:default/team-payments',
        dueDate: '2026-12-24',
      }),
    );

    await user.click(
      within(row).getByRole('button', {
        name: 'Mark “Alert on pool saturation” done',
      }),
    );
    await waitFor(() => expect(row).toHaveTextContent('Done'));
  });

  it('disables every write for users who may not change the service’s post-mortems', async () => {
    fakePostmortemsBackend(server, {
      postmortems: [aPostmortem()],
      actionItems: [anActionItem()],
    });
    const user = userEvent.setup();
    await renderPage({ authorize: AuthorizeResult.DENY });

    await screen.findByRole('heading', { name: 'Timeline' });
    await waitFor(() => expect(button('Submit for review')).toBeDisabled());
    expect(button('Edit')).toBeDisabled();
    expect(button('Authors and reviewers')).toBeDisabled();
    expect(button('Add action item')).toBeDisabled();
    expect(
      await screen.findByRole('button', { name: /Mark .* done/ }),
    ).toBeDisabled();
    expect(button('Export markdown')).toBeEnabled();

    await user.hover(button('Edit').parentElement!);
    expect(
      await screen.findByText(
        'Only the owners of this service can change its post-mortems and action items',
      ),
    ).toBeInTheDocument();
  });
});
