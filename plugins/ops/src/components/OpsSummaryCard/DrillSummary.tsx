import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { DrillStatusChip } from '../DrillsCard/DrillStatusChip';
import { DRILL_KIND_LABELS } from '../DrillsCard/drillLabels';
import { Timestamp, TruncatedText } from '../shared';
import { SummaryPart } from './SummaryPart';

/** The entity's latest recovery drill: what, when, and its verdict. */
export function DrillSummary(props: { entityRef: string }) {
  const { entityRef } = props;
  const opsApi = useApi(opsApiRef);
  const { value, loading, error } = useAsync(
    async () => (await opsApi.listDrills({ entityRef, limit: 1 })).items[0],
    [opsApi, entityRef],
  );
  return (
    <SummaryPart label="Last drill" loading={loading} error={error}>
      {!loading && !error && !value && (
        <Typography variant="body2">No drill recorded</Typography>
      )}
      {value && (
        <Box display="flex" alignItems="center" gridGap={8} minWidth={0}>
          <DrillStatusChip status={value.status} />
          <TruncatedText
            text={`${DRILL_KIND_LABELS[value.kind] ?? value.kind} of ${
              value.target
            }`}
          />
          <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
            <Timestamp iso={value.finishedAt ?? value.startedAt} />
          </Typography>
        </Box>
      )}
    </SummaryPart>
  );
}
