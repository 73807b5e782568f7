import { useEffect } from 'react';
import { loadOperationsContent } from '../OperationsContent/loadOperationsContent';

/**
 * Loads the Operations tab's code once the Overview tab is idle: the tab a
 * reader of this card most likely opens next then renders on the click
 * instead of first fetching its chunk (yarn bench:ui: the chunk's fetch and
 * evaluation came before any of the tab's requests). Code only: no data is
 * read before the tab is opened.
 */
export function usePrefetchOperationsTab() {
  useEffect(() => {
    const prefetch = () => {
      // A failed prefetch costs nothing: the tab loads its chunk when opened.
      loadOperationsContent().catch(() => {});
    };
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(prefetch, { timeout: 5000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(prefetch, 2000);
    return () => clearTimeout(timer);
  }, []);
}
