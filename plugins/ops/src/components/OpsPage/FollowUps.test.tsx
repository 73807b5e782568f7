import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  anActionItem,
  aPostmortem,
  fakePostmortemsBackend,
} from '../../__testUtils__/fakePostmortemsBackend';
import { minutesAgo } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { FollowUps } from './FollowUps';

describe('FollowUps', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  async function rowsOf(name: string) {
    const table = await screen.findByRole('table', { name });
    return within(table).getAllByRole('row').slice(1);
  }

  it('lists the post-mortems due and the open action items across services, overdue first', async () => {
    fakePostmortemsBackend(server, {
      postmortems: [
        aPostmortem({ id: 'pm-soon', title: 'Due soon' }),
        aPostmortem({ id: 'pm-published', title: 'Done', status: 'published' }),
        aPostmortem({ id: 'pm-sev4', title: 'No due date', dueAt: undefined }),
        aPostmortem({
          id: 'pm-late',
          title: 'Late one',
          status: 'in-review',
          dueAt: minutesAgo(60 * 24),
          overdue: true,
        }),
      ],
      actionItems: [
        anActionItem({
          id: 'ai-orders',
          entityRef: 'component:default/orders-api',
          title: 'Orders: retry budget',
          dueDate: '2026-10-01',
          overdue: true,
        }),
        anActionItem({ id: 'ai-done', title: 'Finished', status: 'done' }),
      ],
    });

    await renderWithOpsApis(<FollowUps />);

    const [late, soon, ...others] = await rowsOf('Post-mortems due');
    expect(others).toEqual([]);
    expect(late).toHaveTextContent('Late one');
    expect(late).toHaveTextContent('In review');
    expect(late).toHaveTextContent('Overdue');
    expect(
      within(late).getByRole('link', { name: 'Late one' }),
    ).toHaveAttribute('href', '/ops/postmortems/pm-late');
    expect(soon).toHaveTextContent('Due soon');
    expect(soon).not.toHaveTextContent('Overdue');

    const items = await rowsOf('Open action items');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('Orders: retry budget');
    expect(items[0]).toHaveTextContent('orders-api');
    expect(items[0]).toHaveTextContent('1 Oct 2026Overdue');
  });
});
