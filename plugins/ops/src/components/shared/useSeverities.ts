import { SeverityLevel } from '@opsdeck/plugin-ops-common';
import { useSeverityLevels } from '../../hooks/opsReads';

/** The configured severity levels, most severe first. */
export function useSeverities(): {
  severities?: SeverityLevel[];
  loading: boolean;
  error?: Error;
} {
  // One request for every card and tab that shows a severity.
  const { value, loading, error } = useSeverityLevels();
  return { severities: value, loading, error };
}
