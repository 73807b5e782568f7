import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { Incident, IncidentEvent } from '@opsdeck/plugin-ops-common';
import { FormEvent, useState } from 'react';
import { opsApiRef } from '../../api';
import { errorMessage } from '../shared';

/** Adds a note to an incident's timeline. */
export function AddNoteDialog(props: {
  incident?: Incident;
  onClose: () => void;
  onAdded: (event: IncidentEvent) => void;
}) {
  const { incident, onClose, onAdded } = props;
  const opsApi = useApi(opsApiRef);
  const [message, setMessage] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!incident) {
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      const added = await opsApi.appendIncidentEvent(incident.id, {
        type: 'note',
        message: message.trim(),
      });
      setMessage('');
      onAdded(added);
    } catch (e) {
      setError(`Could not add the note: ${errorMessage(e)}`);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={Boolean(incident)}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="add-note-title"
    >
      <form onSubmit={submit}>
        <DialogTitle id="add-note-title">
          Add note to “{incident?.title}”
        </DialogTitle>
        <DialogContent>
          {error && <Alert severity="error">{error}</Alert>}
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
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting || !message.trim()}
          >
            Add note
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
