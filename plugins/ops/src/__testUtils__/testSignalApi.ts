import { SignalApi } from '@backstage/plugin-signals-react';
import { OpsChangeSignal } from '@opsdeck/plugin-ops-common';
import { act } from '@testing-library/react';

type Listener = (message: OpsChangeSignal) => void;

/**
 * The app's signal API as the signals plugin's client offers it, fed by the
 * test instead of the backend's WebSocket: `publish` delivers a message to
 * the channel's subscribers, as the backend's signals do.
 */
export function testSignalApi() {
  const subscribers = new Map<string, Set<Listener>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const listener = onMessage as unknown as Listener;
      const channelSubscribers = subscribers.get(channel) ?? new Set();
      channelSubscribers.add(listener);
      subscribers.set(channel, channelSubscribers);
      return {
        unsubscribe: () => {
          channelSubscribers.delete(listener);
        },
      };
    },
  };
  return {
    api,
    publish(channel: string, message: OpsChangeSignal) {
      // A message from the WebSocket: the page updates as in a browser.
      act(() => {
        subscribers.get(channel)?.forEach(listener => listener(message));
      });
    },
    /** The channels someone listens on now. */
    subscribedChannels() {
      return [...subscribers]
        .filter(([, listeners]) => listeners.size > 0)
        .map(([channel]) => channel);
    },
  };
}
