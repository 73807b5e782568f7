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

  describe('the safety net for signals lost in transit', () => {
    let visibility: DocumentVisibilityState = 'visible';
    beforeEach(() => {
      visibility = 'visible';
      jest
        .spyOn(document, 'visibilityState', 'get')
        .mockImplementation(() => visibility);
    });
    afterEach(() => jest.restoreAllMocks());

    const showPage = (state: DocumentVisibilityState) => {
      visibility = state;
      document.dispatchEvent(new Event('visibilitychange'));
    };

    it('reads again every 30 s with signals, though no signal came', () => {
      jest.useFakeTimers();
      const signals = testSignalApi();
      const { onChange, unmount } = renderUseOpsSignal({
        signals,
        entityRef: PAYMENTS_API_REF,
      });

      jest.advanceTimersByTime(29_999);
      expect(onChange).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(onChange.mock.calls).toEqual([[]]);

      unmount();
      jest.advanceTimersByTime(60_000);
      expect(onChange).toHaveBeenCalledTimes(1);
    });

    it('reads nothing while the page is hidden, and reads at once when it is shown again', () => {
      jest.useFakeTimers();
      const signals = testSignalApi();
      const { onChange, unmount } = renderUseOpsSignal({
        signals,
        entityRef: PAYMENTS_API_REF,
      });

      showPage('hidden');
      jest.advanceTimersByTime(90_000);
      expect(onChange).not.toHaveBeenCalled();

      showPage('visible');
      expect(onChange.mock.calls).toEqual([[]]);

      unmount();
      showPage('hidden');
      showPage('visible');
      expect(onChange).toHaveBeenCalledTimes(1);
    });

    it('reads again when the browser is back online', () => {
      const signals = testSignalApi();
      const { onChange, unmount } = renderUseOpsSignal({
        signals,
        entityRef: PAYMENTS_API_REF,
      });

      window.dispatchEvent(new Event('online'));
      expect(onChange.mock.calls).toEqual([[]]);

      unmount();
      window.dispatchEvent(new Event('online'));
      expect(onChange).toHaveBeenCalledTimes(1);
    });

    it('does not poll a hidden page in an app without signals either', () => {
      jest.useFakeTimers();
      const { onChange } = renderUseOpsSignal({
        entityRef: PAYMENTS_API_REF,
      });

      showPage('hidden');
      jest.advanceTimersByTime(30_000);
      expect(onChange).not.toHaveBeenCalled();
      showPage('visible');
      expect(onChange).toHaveBeenCalledTimes(1);
    });
  });
});
