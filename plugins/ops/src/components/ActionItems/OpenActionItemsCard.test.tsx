import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  anActionItem,
  fakePostmortemsBackend,
} from '../../__testUtils__/fakePostmortemsBackend';
import { paymentsApi } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OpenActionItemsCard } from './OpenActionItemsCard';

describe('OpenActionItemsCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const overdue = anActionItem({
    id: 'ai-overdue',
    title: 'Raise the connection pool',
    dueDate: '2026-11-02',
    overdue: true,
  });
  const later = anActionItem({
    id: 'ai-later',
    title: 'Alert on pool saturation',
    dueDate: '2026-12-24',
  });
  const otherService = anActionItem({
    id: 'ai-orders',
    entityRef: 'component:default/orders-api',
    title: 'Orders: retry budget',
  });
  const done = anActionItem({
    id: 'ai-done',
    title: 'Runbook for pool exhaustion',
    status: 'done',
  });

  function renderCard(
    authorize:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    return renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <OpenActionItemsCard />
      </EntityProvider>,
      { authorize },
    );
  }

  async function rows() {
    const table = await screen.findByRole('table', {
      name: 'Open action items',
    });
    return within(table).getAllByRole('row').slice(1);
  }

  it('lists the service’s open action items, the overdue one flagged, each linking to its post-mortem', async () => {
    fakePostmortemsBackend(server, {
      actionItems: [overdue, later, otherService, done],
    });

    await renderCard();

    const [first, second, ...others] = await rows();
    expect(others).toEqual([]);
    expect(first).toHaveTextContent('Raise the connection pool');
    expect(first).toHaveTextContent('2 Nov 2026Overdue');
    expect(second).toHaveTextContent('Alert on pool saturation');
    expect(second).not.toHaveTextContent('Overdue');
    expect(
      within(first).getByRole('link', { name: 'team-payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-payments');
    expect(
      within(first).getByRole('link', { name: 'Post-mortem' }),
    ).toHaveAttribute('href', '/ops/postmortems/pm-1');
  });

  it('marks one done, which leaves the list', async () => {
    const backend = fakePostmortemsBackend(server, {
      actionItems: [overdue, later],
    });
    const user = userEvent.setup();
    await renderCard();

    const [first] = await rows();
    const markDone = within(first).getByRole('button', {
      name: 'Mark “Raise the connection pool” done',
    });
    await waitFor(() => expect(markDone).toBeEnabled());
    await user.click(markDone);

    expect(
      await screen.findByText('Done: “Raise the connection pool”'),
    ).toBeInTheDocument();
    await waitFor(async () => expect(await rows()).toHaveLength(1));
    expect(backend.state.requests[0].body).toEqual({
      version: 1,
      status: 'done',
    });
  });

  it('says so when every action item is done', async () => {
    fakePostmortemsBackend(server, { actionItems: [done] });

    await renderCard();

    expect(
      await screen.findByText(
        'No open action item: every post-mortem’s actions are done.',
      ),
    ).toBeInTheDocument();
  });

  it('disables Mark done for users who may not change the service’s records', async () => {
    fakePostmortemsBackend(server, { actionItems: [later] });

    await renderCard(AuthorizeResult.DENY);

    const [first] = await rows();
    await waitFor(() =>
      expect(within(first).getByRole('button')).toBeDisabled(),
    );
  });
});
