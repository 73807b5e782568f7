import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider } from '@backstage/test-utils';
import { renderHook } from '@testing-library/react';
import { OpsChangeSignal } from '@opsdeck/plugin-ops-common';
import { ReactNode } from 'react';
import { PAYMENTS_API_REF } from '../../__testUtils__/fixtures';
import { testSignalApi } from '../../__testUtils__/testSignalApi';
import { useOpsSignal } from './useOpsSignal';

const channel = `opsdeck:entity:${PAYMENTS_API_REF}`;

function renderUseOpsSignal(options: {
  signals?: ReturnType<typeof testSignalApi>;
  entityRef?: string;
}) {
  const onChange = jest.fn<void, [OpsChangeSignal?]>();
  const { signals } = options;
  const wrapper = ({ children }: { children: ReactNode }) =>
    signals ? (
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
  const hook = renderHook(
    (props: { entityRef?: string }) =>
      useOpsSignal({
        entityRef: props.entityRef,
        onChange,
        pollIntervalMs: 3000,
      }),
    { wrapper, initialProps: { entityRef: options.entityRef } },
  );
  return { onChange, ...hook };
}

describe('useOpsSignal', () => {
  afterEach(() => jest.useRealTimers());

  it("hears every change on the entity's channel, and stops when unmounted", () => {
    const signals = testSignalApi();
    const { onChange, unmount } = renderUseOpsSignal({
      signals,
      entityRef: PAYMENTS_API_REF,
    });
    expect(signals.subscribedChannels()).toEqual([channel]);

    // Two changes in a row, before any render: both are heard.
    const declared = {
      kind: 'incident',
      id: 'inc-1',
      type: 'incident.declared',
    } as const;
    const step = { kind: 'drill', id: 'drill-1', type: 'drill.step' } as const;
    signals.publish(channel, declared);
    signals.publish(channel, step);
    signals.publish('opsdeck:entity:component:default/orders-api', step);
    expect(onChange.mock.calls).toEqual([[declared], [step]]);

    unmount();
    expect(signals.subscribedChannels()).toEqual([]);
  });

  it('waits for the entity before it listens', () => {
    const signals = testSignalApi();
    const { rerender } = renderUseOpsSignal({ signals });
    expect(signals.subscribedChannels()).toEqual([]);

    rerender({ entityRef: PAYMENTS_API_REF });
    expect(signals.subscribedChannels()).toEqual([channel]);
  });

  it('polls in an app without signals, and stops when unmounted', () => {
    jest.useFakeTimers();
    const { onChange, unmount } = renderUseOpsSignal({
      entityRef: PAYMENTS_API_REF,
    });

    jest.advanceTimersByTime(2999);
    expect(onChange).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith();
    jest.advanceTimersByTime(6000);
    expect(onChange).toHaveBeenCalledTimes(3);

    unmount();
    jest.advanceTimersByTime(30_000);
    expect(onChange).toHaveBeenCalledTimes(3);
  });
});
