import { useApi } from '@backstage/core-plugin-api';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { OnCallOverride } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { errorMessage, formatTimestamp } from '../shared';
import { LEVEL_LABELS } from './levels';

/** The overrides of the schedule that have not ended, each with a delete. */
export function OverridesList(props: {
  entityRef: string;
  reloadKey: number;
  /** Absent when the user may not change the schedule. */
  onDelete?: (override: OnCallOverride) => void;
  onError: (message: string) => void;
}) {
  const { entityRef, reloadKey, onDelete, onError } = props;
  const opsApi = useApi(opsApiRef);
  const { value } = useAsync(
    () => opsApi.listOnCallOverrides({ entityRef }),
    [opsApi, entityRef, reloadKey],
  );
  if (!value?.items.length) {
    return null;
  }
  const remove = async (override: OnCallOverride) => {
    try {
      await opsApi.deleteOnCallOverride(override.id);
      onDelete?.(override);
    } catch (e) {
      onError(`Could not delete the override: ${errorMessage(e)}`);
    }
  };
  return (
    <>
      <Typography variant="subtitle2" style={{ marginTop: 8 }}>
        Overrides
      </Typography>
      <List dense aria-label="Overrides">
        {value.items.map(override => (
          <ListItem key={override.id}>
            <ListItemText
              primary={`${LEVEL_LABELS[override.level] ?? override.level}: ${
                override.userRef
              }`}
              secondary={`${formatTimestamp(
                override.start,
              )} – ${formatTimestamp(override.end)}${
                override.reason ? ` · ${override.reason}` : ''
              }`}
            />
            {onDelete && (
              <ListItemSecondaryAction>
                <IconButton
                  edge="end"
                  aria-label={`Delete the override of ${override.userRef}`}
                  onClick={() => remove(override)}
                >
                  <DeleteIcon />
                </IconButton>
              </ListItemSecondaryAction>
            )}
          </ListItem>
        ))}
      </List>
    </>
  );
}
