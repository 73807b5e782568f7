import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  OpsChangeSignal,
  opsEntitySignalChannel,
} from '@opsdeck/plugin-ops-common';
import { useEffect, useRef } from 'react';

/**
 * Calls `onChange` when a record of the entity may have changed, so that a
 * card reads it again without a reload: with the change's signal as soon as
 * the backend publishes it, or, in an app without the signals plugin, with
 * no signal every `pollIntervalMs`. Nothing while `entityRef` is unknown.
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
    if (signals) {
      const subscription = signals.subscribe<OpsChangeSignal>(
        opsEntitySignalChannel(entityRef),
        signal => onChange.current(signal),
      );
      return () => subscription.unsubscribe();
    }
    const timer = setInterval(() => onChange.current(), pollIntervalMs);
    return () => clearInterval(timer);
  }, [signals, entityRef, pollIntervalMs]);
}
