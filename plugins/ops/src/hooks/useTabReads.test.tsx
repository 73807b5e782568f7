import { TestApiProvider } from '@backstage/test-utils';
import { render, screen } from '@testing-library/react';
import { ReactNode } from 'react';
import { OpsApi, opsApiRef } from '../api';
import { entityRead, useEntityRead } from './startedReads';
import { useTabReads } from './useTabReads';

const ENTITY = 'component:default/payments-api';

/** A read whose answer the test gives when it chooses. */
function controlledRead(name: string) {
  let answer: (value: string) => void = () => {};
  const load = jest.fn(
    () =>
      new Promise<string>(resolve => {
        answer = resolve;
      }),
  );
  return {
    read: entityRead(name, load),
    load,
    answer: (v: string) => answer(v),
  };
}

/** An OpsApi whose shared reads (SLO report, on-call, severities) answer at once. */
function opsApi(): OpsApi {
  return {
    getSlos: jest.fn(async () => ({ slos: [] })),
    getOnCall: jest.fn(async () => ({ status: 'unknown' })),
    getSeverities: jest.fn(async () => ({ items: [] })),
  } as unknown as OpsApi;
}

describe('useTabReads', () => {
  /**
   * A tab of one card that records each of its renders: "loading" or its
   * value.
   */
  function renderTab(
    api: OpsApi,
    read: ReturnType<typeof controlledRead>['read'],
    renders: string[],
    maxWaitMs?: number,
  ) {
    function Card() {
      const { value, loading } = useEntityRead(read, ENTITY);
      const shown = loading ? 'loading' : value ?? 'nothing';
      renders.push(shown);
      return <p>card: {shown}</p>;
    }
    function Tab(props: { children: ReactNode }) {
      const ready = useTabReads(ENTITY, [read], maxWaitMs);
      return ready ? <>{props.children}</> : <p>tab loading</p>;
    }
    return render(
      <TestApiProvider apis={[[opsApiRef, api]]}>
        <Tab>
          <Card />
        </Tab>
      </TestApiProvider>,
    );
  }

  it('renders the cards once their reads answered, with their data in the first render', async () => {
    const api = opsApi();
    const drills = controlledRead('drills-card');
    const renders: string[] = [];
    renderTab(api, drills.read, renders);
    expect(screen.getByText('tab loading')).toBeInTheDocument();
    expect(drills.load).toHaveBeenCalledTimes(1);

    drills.answer('3 drills');
    expect(await screen.findByText('card: 3 drills')).toBeInTheDocument();
    expect(renders.every(shown => shown === '3 drills')).toBe(true);
    // The card showed the tab's request: it did not ask again.
    expect(drills.load).toHaveBeenCalledTimes(1);
  });

  it('does not hold the cards longer than its wait for a slow read', async () => {
    const api = opsApi();
    const drills = controlledRead('drills-card');
    const renders: string[] = [];
    renderTab(api, drills.read, renders, 50);
    expect(
      await screen.findByText('card: loading', {}, { timeout: 1000 }),
    ).toBeInTheDocument();

    drills.answer('3 drills');
    expect(await screen.findByText('card: 3 drills')).toBeInTheDocument();
    expect(drills.load).toHaveBeenCalledTimes(1);
  });

  it('reads again for a tab opened again, instead of showing the first answer', async () => {
    const api = opsApi();
    const drills = controlledRead('drills-card');
    const first = renderTab(api, drills.read, []);
    drills.answer('before the drill');
    expect(
      await screen.findByText('card: before the drill'),
    ).toBeInTheDocument();
    first.unmount();

    renderTab(api, drills.read, []);
    drills.answer('after the drill');
    expect(
      await screen.findByText('card: after the drill'),
    ).toBeInTheDocument();
    expect(drills.load).toHaveBeenCalledTimes(2);
  });
});
