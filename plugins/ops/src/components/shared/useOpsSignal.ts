import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  OpsChangeSignal,
  opsEntitySignalChannel,
} from '@opsdeck/plugin-ops-common';
import { useEffect, useRef } from 'react';

/**
 * With signals, how often a card reads again all the same. The signals
 * client drops what is published while its WebSocket is not subscribed: the
 * first second of a page, the 5 s before it reconnects after a dropped
 * connection (a backend restart, a laptop that slept), a connection that
 * took longer than its 1 s connect timeout on a busy backend. A card that
 * missed its change would otherwise stay stale until the page is reloaded.
 */
export const SIGNALS_SAFETY_NET_MS = 30_000;

const pageVisible = () => document.visibilityState === 'visible';

/**
 * Calls `onChange` when a record of the entity may have changed, so that a
 * card reads it again without a reload: with the change's signal as soon as
 * the backend publishes it, or, in an app without the signals plugin, with
 * no signal every `pollIntervalMs`. With signals it also calls it with no
 * signal every `SIGNALS_SAFETY_NET_MS`, for the signals lost in transit.
 * Either way, not while the page is hidden (a background tab reads nothing),
 * and at once when the page is shown again or the browser is back online,
 * when a signal is most likely to have been lost. Nothing while `entityRef`
 * is unknown.
 *
 * The signal API is subscribed to directly rather than through `useSignal`,
 * whose last-signal state keeps only the latest of the signals that arrive
 * between two renders: a page that cares about one record would miss its
 * change when another record's followed at once.
 */
export function useOpsSignal(options: {
  entityRef: string | undefined;
  onChange: (signal?: OpsChangeSignal) => void;
  pollIntervalMs: number;
}): void {
  const { entityRef, pollIntervalMs } = options;
  const signals = useApiHolder().get(signalApiRef);
  // The latest callback, without subscribing again on every render.
  const onChange = useRef(options.onChange);
  onChange.current = options.onChange;

  useEffect(() => {
    if (!entityRef) {
      return undefined;
    }
    const subscription = signals?.subscribe<OpsChangeSignal>(
      opsEntitySignalChannel(entityRef),
      signal => onChange.current(signal),
    );
    const readAgainIfVisible = () => {
      if (pageVisible()) onChange.current();
    };
    const timer = setInterval(
      readAgainIfVisible,
      signals ? SIGNALS_SAFETY_NET_MS : pollIntervalMs,
    );
    document.addEventListener('visibilitychange', readAgainIfVisible);
    window.addEventListener('online', readAgainIfVisible);
    return () => {
      subscription?.unsubscribe();
      clearInterval(timer);
      document.removeEventListener('visibilitychange', readAgainIfVisible);
      window.removeEventListener('online', readAgainIfVisible);
    };
  }, [signals, entityRef, pollIntervalMs]);
}
