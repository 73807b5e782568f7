import { useApi } from '@backstage/core-plugin-api';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';

/** The configured severity levels, most severe first. */
export function useSeverities(): {
  severities?: SeverityLevel[];
  loading: boolean;
  error?: Error;
} {
  const opsApi = useApi(opsApiRef);
  const { value, loading, error } = useAsync(
    async () => (await opsApi.getSeverities()).items,
    [opsApi],
  );
  return { severities: value, loading, error };
}
