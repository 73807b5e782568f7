import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { OnCallOverride, OnCallStatus } from '@opsdeck/plugin-ops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BACKEND, errorBody } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OnCallCard } from './OnCallCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const inTwoDays = new Date(Date.now() + 2 * 86400_000 + 60_000).toISOString();
const inNineDays = new Date(Date.now() + 9 * 86400_000).toISOString();

const onSchedule: OnCallStatus = {
  entityRef: 'component:default/payments-api',
  provider: 'schedule',
  schedule: 'payments-primary',
  at: new Date().toISOString(),
  state: 'ok',
  messages: [],
  levels: [
    {
      level: 'primary',
      current: {
        userRef: 'user:default/amara.okafor',
        start: new Date(Date.now() - 86400_000).toISOString(),
        end: inTwoDays,
        contact: {
          userRef: 'user:default/amara.okafor',
          displayName: 'Amara Okafor',
          email: 'amara.okafor@example.com',
          chatUrl: 'https://chat.example.com/amara',
        },
      },
      next: {
        userRef: 'user:default/jonas.weber',
        start: inTwoDays,
        end: inNineDays,
        contact: {
          userRef: 'user:default/jonas.weber',
          displayName: 'Jonas Weber',
        },
      },
    },
    {
      level: 'engineering-manager',
      current: {
        userRef: 'user:default/grace.kim',
        start: new Date().toISOString(),
        contact: {
          userRef: 'user:default/grace.kim',
          displayName: 'Grace Kim',
        },
      },
    },
  ],
};

describe('OnCallCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serve(status: OnCallStatus, overrides: OnCallOverride[] = []) {
    const posted: unknown[] = [];
    const deleted: string[] = [];
    server.use(
      http.get(`${BACKEND}/oncall`, () => HttpResponse.json(status)),
      http.get(`${BACKEND}/oncall/overrides`, () =>
        HttpResponse.json({
          items: overrides.filter(o => !deleted.includes(o.id)),
        }),
      ),
      http.delete(`${BACKEND}/oncall/overrides/:id`, ({ params }) => {
        deleted.push(String(params.id));
        return HttpResponse.json(overrides.find(o => o.id === params.id) ?? {});
      }),
      http.post(`${BACKEND}/oncall/overrides`, async ({ request }) => {
        const body = (await request.json()) as Record<string, string>;
        posted.push(body);
        return HttpResponse.json(
          {
            ...body,
            id: 'a7c1e2f0-0000-4000-8000-000000000001',
            createdBy: 'user:default/guest',
            createdAt: new Date().toISOString(),
          },
          { status: 201 },
        );
      }),
    );
    return { posted, deleted };
  }

  const render = (
    authorize:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) =>
    renderWithOpsApis(
      <EntityProvider entity={entity}>
        <OnCallCard />
      </EntityProvider>,
      { authorize },
    );

  /** Hands Amara's primary shift to Jonas through the card's dialog. */
  async function swapWithJonas() {
    fireEvent.click(
      await screen.findByRole('button', { name: 'Override (shift swap)' }),
    );
    fireEvent.change(screen.getByLabelText(/Who takes over/), {
      target: { value: 'jonas.weber' },
    });
    fireEvent.change(screen.getByLabelText(/Reason/), {
      target: { value: 'Swap with Amara' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add override' }));
  }

  it('shows now and next per level, time left and contact links', async () => {
    serve(onSchedule);
    await render();
    const primary = await screen.findByTestId('oncall-primary');
    expect(within(primary).getByText('Primary')).toBeInTheDocument();
    expect(within(primary).getByText('Amara Okafor')).toBeInTheDocument();
    expect(within(primary).getByText('until in 2 days')).toBeInTheDocument();
    expect(
      within(primary).getByRole('link', { name: /^email/ }),
    ).toHaveAttribute('href', 'mailto:amara.okafor@example.com');
    expect(
      within(primary).getByRole('link', { name: /^chat/ }),
    ).toHaveAttribute('href', 'https://chat.example.com/amara');
    expect(within(primary).getByText('Jonas Weber')).toBeInTheDocument();
    const manager = screen.getByTestId('oncall-engineering-manager');
    expect(within(manager).getByText('Grace Kim')).toBeInTheDocument();
    expect(
      within(manager).getByText('no handoff scheduled'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('On-call schedule: payments-primary'),
    ).toBeInTheDocument();
  });

  it('says "PagerDuty unavailable" and why, once, instead of failing', async () => {
    serve({
      ...onSchedule,
      provider: 'pagerduty',
      schedule: undefined,
      state: 'unavailable',
      levels: [],
      messages: ['no API token configured (ops.pagerduty.apiToken)'],
    });
    await render();
    const alert = await screen.findByTestId('oncall-unavailable');
    expect(alert).toHaveTextContent(
      /^PagerDuty unavailable: no API token configured \(ops\.pagerduty\.apiToken\)$/,
    );
    expect(screen.getAllByText(/unavailable/)).toHaveLength(1);
    expect(screen.queryByRole('table', { name: 'On call' })).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Override/ }),
    ).not.toBeInTheDocument();
  });

  it("shows the team's built-in schedule while PagerDuty is unavailable, saying so in one line", async () => {
    const outage =
      'PagerDuty unavailable: PagerDuty unreachable: fetch failed. Showing the built-in schedule payments-primary of group:default/team-payments instead.';
    serve({ ...onSchedule, messages: [outage] });
    await render();
    const primary = await screen.findByTestId('oncall-primary');
    expect(within(primary).getByText('Amara Okafor')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(outage);
    expect(screen.getAllByText(/PagerDuty unavailable/)).toHaveLength(1);
    expect(screen.queryByTestId('oncall-unavailable')).toBeNull();
    expect(
      screen.getByText('On-call schedule: payments-primary'),
    ).toBeInTheDocument();
  });

  it('adds a shift-swap override and shows the outcome', async () => {
    const { posted } = serve(onSchedule);
    await render();
    await swapWithJonas();
    expect(
      await screen.findByText(
        /user:default\/jonas.weber is on call \(Primary\)/,
      ),
    ).toBeInTheDocument();
    expect(posted).toEqual([
      {
        entityRef: 'component:default/payments-api',
        level: 'primary',
        userRef: 'user:default/jonas.weber',
        start: expect.stringMatching(/Z$/),
        end: expect.stringMatching(/Z$/),
        reason: 'Swap with Amara',
      },
    ]);
  });

  it('keeps who is on call in view when reading again after an override fails', async () => {
    serve(onSchedule);
    await render();
    await screen.findByTestId('oncall-primary');
    server.use(
      http.get(`${BACKEND}/oncall`, () =>
        HttpResponse.json(
          errorBody('ServiceUnavailableError', 'restarting', 503),
          { status: 503 },
        ),
      ),
    );
    await swapWithJonas();
    expect(
      await screen.findByText(
        'Error: Request failed with 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
    const primary = screen.getByTestId('oncall-primary');
    expect(within(primary).getByText('Amara Okafor')).toBeInTheDocument();
  });

  it('lists the overrides and deletes one', async () => {
    const swap: OnCallOverride = {
      id: 'b7c1e2f0-0000-4000-8000-000000000002',
      entityRef: 'component:default/payments-api',
      level: 'primary',
      userRef: 'user:default/jonas.weber',
      start: inTwoDays,
      end: inNineDays,
      reason: 'Holiday swap',
      createdBy: 'user:default/guest',
      createdAt: new Date().toISOString(),
    };
    const calls = serve(onSchedule, [swap]);
    await render();
    const list = await screen.findByRole('list', { name: 'Overrides' });
    expect(list).toHaveTextContent('Primary: user:default/jonas.weber');
    expect(list).toHaveTextContent('Holiday swap');
    fireEvent.click(
      within(list).getByRole('button', {
        name: 'Delete the override of user:default/jonas.weber',
      }),
    );
    expect(
      await screen.findByText(
        'Deleted the override of user:default/jonas.weber',
      ),
    ).toBeInTheDocument();
    expect(calls.deleted).toEqual([swap.id]);
    await waitFor(() =>
      expect(
        screen.queryByRole('list', { name: 'Overrides' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('disables the override for who may not change the schedule', async () => {
    serve(onSchedule);
    await render(AuthorizeResult.DENY);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Override (shift swap)' }),
      ).toBeDisabled(),
    );
  });
});
