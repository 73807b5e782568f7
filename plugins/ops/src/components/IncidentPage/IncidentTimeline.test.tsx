import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { anEvent } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { IncidentTimeline } from './IncidentTimeline';

// 200 characters, the longest title the backend accepts.
const TITLE = 'Checkout latency above its objective in every region '
  .repeat(4)
  .slice(0, 200);

describe('IncidentTimeline', () => {
  it('keeps a 200-character title on one line, cut with an ellipsis, whole on hover', async () => {
    const declared = `Declared SEV2: ${TITLE}`;
    await renderWithOpsApis(
      <IncidentTimeline
        events={[anEvent({ type: 'created', message: declared })]}
      />,
    );

    const entry = within(screen.getByRole('list', { name: 'Timeline' }))
      .getByRole('listitem')
      .querySelector(`[title="${declared}"]`) as HTMLElement;
    expect(TITLE).toHaveLength(200);
    // All of it is there for the hover and for screen readers; the line
    // itself cannot grow past its container.
    expect(entry).toHaveTextContent(declared);
    expect(entry).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      display: 'block',
      maxWidth: '100%',
    });
    await userEvent.hover(entry);
    expect(entry).toHaveAttribute('title', declared);
  });

  it('shows what responders wrote in full, wrapped', async () => {
    const note = `${'Drained the connection pool and restarted the fraud check client. '.repeat(
      5,
    )}https://grafana.example.com/d/payments-overview?orgId=1&var-service=payments-api&from=now-6h`;
    await renderWithOpsApis(
      <IncidentTimeline events={[anEvent({ type: 'note', message: note })]} />,
    );

    const text = screen.getByText(note);
    expect(text).not.toHaveAttribute('title');
    expect(text).toHaveStyle({
      whiteSpace: 'pre-wrap',
      overflowWrap: 'anywhere',
    });
  });
});
