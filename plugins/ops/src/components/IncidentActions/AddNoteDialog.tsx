import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import { Incident, IncidentEvent } from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { opsApiRef } from '../../api';
import { FormDialog } from '../shared';

/** Adds a note to an incident's timeline. */
export function AddNoteDialog(props: {
  incident?: Incident;
  onClose: () => void;
  onAdded: (event: IncidentEvent) => void;
}) {
  const { incident, onClose, onAdded } = props;
  const opsApi = useApi(opsApiRef);
  const [message, setMessage] = useState('');

  const submit = async () => {
    if (!incident) {
      return;
    }
    const added = await opsApi.appendIncidentEvent(incident.id, {
      type: 'note',
      message: message.trim(),
    });
    setMessage('');
    onAdded(added);
  };

  return (
    <FormDialog
      titleId="add-note-title"
      title={<>Add note to “{incident?.title}”</>}
      open={Boolean(incident)}
      onClose={onClose}
      submitLabel="Add note"
      canSubmit={Boolean(message.trim())}
      onSubmit={submit}
      failureMessage="Could not add the note"
    >
      <TextField
        required
        fullWidth
        multiline
        minRows={3}
        margin="normal"
        id="add-note-message"
        label="Note"
        helperText="Goes on the incident's timeline, with your name and the time"
        value={message}
        onChange={e => setMessage(e.target.value)}
      />
    </FormDialog>
  );
}
