import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  Incident,
  RECORD_LIMITS,
  SeverityLevel,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { useEffect, useState } from 'react';
import { opsApiRef } from '../../api';
import {
  FormDialog,
  lengthHint,
  severityOptions,
  useCatalogUserOptions,
  userOptionOf,
} from '../shared';

/**
 * Names the commander (a user of the catalog), changes the severity and
 * records the root cause: what the runbooks ask responders to keep on the
 * incident. Only what changed is sent, from the version the user saw; each
 * change goes on the timeline.
 */
export function EditIncidentDialog(props: {
  incident?: Incident;
  severities?: SeverityLevel[];
  onClose: () => void;
  onSaved: (incident: Incident) => void;
}) {
  const { incident, severities, onClose, onSaved } = props;
  const opsApi = useApi(opsApiRef);
  const [commander, setCommander] = useState<string>();
  const [severity, setSeverity] = useState('');
  const [rootCause, setRootCause] = useState('');

  useEffect(() => {
    setCommander(incident?.commander);
    setSeverity(incident?.severity ?? '');
    setRootCause(incident?.rootCause ?? '');
  }, [incident]);

  const users = useCatalogUserOptions(Boolean(incident));

  const changes: Omit<UpdateIncidentRequest, 'version'> = {};
  if (incident && commander && commander !== incident.commander) {
    changes.commander = commander;
  }
  if (incident && severity && severity !== incident.severity) {
    changes.severity = severity;
  }
  if (incident && rootCause.trim() !== (incident.rootCause ?? '')) {
    changes.rootCause = rootCause.trim();
  }

  const submit = async () => {
    if (!incident) {
      return;
    }
    onSaved(
      await opsApi.updateIncident(incident.id, {
        version: incident.version,
        ...changes,
      }),
    );
  };

  const options = users.value ?? [];
  return (
    <FormDialog
      titleId="edit-incident-title"
      title={<>Commander, severity and root cause of “{incident?.title}”</>}
      open={Boolean(incident)}
      onClose={onClose}
      submitLabel="Save"
      canSubmit={Object.keys(changes).length > 0}
      onSubmit={submit}
      failureMessage="Could not save the incident"
    >
      <Autocomplete
        id="edit-incident-commander"
        options={options}
        loading={users.loading}
        value={commander ? userOptionOf(commander, options) : null}
        getOptionLabel={option => option.label}
        getOptionSelected={(option, value) => option.ref === value.ref}
        onChange={(_event, option) => setCommander(option?.ref)}
        renderInput={params => (
          <TextField
            {...params}
            margin="normal"
            label="Commander"
            helperText={
              users.error
                ? `Could not load the catalog's users: ${users.error.message}`
                : 'Who leads the response: a user of the catalog'
            }
            error={Boolean(users.error)}
          />
        )}
      />
      <TextField
        select
        fullWidth
        margin="normal"
        id="edit-incident-severity"
        label="Severity"
        value={severity}
        onChange={e => setSeverity(e.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
      >
        {severityOptions(severities)}
      </TextField>
      <TextField
        fullWidth
        multiline
        minRows={3}
        margin="normal"
        id="edit-incident-root-cause"
        label="Root cause"
        value={rootCause}
        onChange={e => setRootCause(e.target.value)}
        inputProps={{ maxLength: RECORD_LIMITS.textLength }}
        helperText={lengthHint(
          rootCause,
          RECORD_LIMITS.textLength,
          'What made it happen, as far as it is known',
        )}
      />
    </FormDialog>
  );
}
