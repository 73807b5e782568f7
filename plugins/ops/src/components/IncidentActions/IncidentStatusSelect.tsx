import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import {
  Incident,
  IncidentStatus,
  INCIDENT_STATUSES,
} from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { INCIDENT_STATUS_LABELS } from '../shared';

const useStyles = makeStyles({
  // A native select in an MUI input may shrink to nothing in a crowded table
  // cell ("Inv" for Investigating): it keeps the width of its longest label.
  select: { minWidth: 'max-content' },
});

/**
 * An incident's status, and the control to move it. An incident is declared
 * open; from there it can only move on, so `open` is shown, not offered.
 *
 * A chosen status stays shown, and the control disabled, until the incident
 * is reloaded at a newer version: a next change is then based on it.
 */
export function IncidentStatusSelect(props: {
  incident: Incident;
  /** Resolves whether the change was made. */
  onChange: (status: IncidentStatus) => Promise<boolean>;
  deniedReason?: string;
}) {
  const { incident, onChange, deniedReason } = props;
  const classes = useStyles();
  const [requested, setRequested] = useState<{
    status: IncidentStatus;
    version: number;
  }>();
  const waiting = requested?.version === incident.version;

  const select = (
    <TextField
      select
      size="small"
      variant="outlined"
      label="Status"
      id={`incident-status-${incident.id}`}
      value={waiting ? requested.status : incident.status}
      disabled={waiting || Boolean(deniedReason)}
      SelectProps={{ native: true, classes: { select: classes.select } }}
      onChange={async event => {
        const status = event.target.value as IncidentStatus;
        setRequested({ status, version: incident.version });
        if (!(await onChange(status))) {
          setRequested(undefined);
        }
      }}
    >
      {INCIDENT_STATUSES.map(status => (
        <option
          key={status}
          value={status}
          disabled={status === 'open' && incident.status !== 'open'}
        >
          {INCIDENT_STATUS_LABELS[status]}
        </option>
      ))}
    </TextField>
  );
  if (!deniedReason) {
    return select;
  }
  return (
    <Tooltip title={deniedReason}>
      <span>{select}</span>
    </Tooltip>
  );
}
