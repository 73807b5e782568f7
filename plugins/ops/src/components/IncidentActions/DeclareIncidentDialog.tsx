import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { Incident, SeverityLevel } from '@opsdeck/plugin-ops-common';
import { FormEvent, useState } from 'react';
import { opsApiRef } from '../../api';
import { errorMessage } from '../shared';

/**
 * Declares an incident on an entity: a title, a severity among the
 * configured levels, and optionally what is known so far.
 */
export function DeclareIncidentDialog(props: {
  open: boolean;
  entityRef: string;
  /** The configured levels; the form waits for them. */
  severities?: SeverityLevel[];
  /** Why the levels could not be loaded. */
  severitiesError?: Error;
  onClose: () => void;
  onDeclared: (incident: Incident) => void;
}) {
  const { open, entityRef, severities, severitiesError, onClose, onDeclared } =
    props;
  const opsApi = useApi(opsApiRef);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('');
  const [summary, setSummary] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      const incident = await opsApi.createIncident({
        entityRef,
        title: title.trim(),
        severity,
        summary: summary.trim() || undefined,
      });
      setTitle('');
      setSeverity('');
      setSummary('');
      onDeclared(incident);
    } catch (e) {
      setError(`Could not declare the incident: ${errorMessage(e)}`);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="declare-incident-title"
    >
      <form onSubmit={submit}>
        <DialogTitle id="declare-incident-title">Declare incident</DialogTitle>
        <DialogContent>
          {severitiesError && (
            <Alert severity="error">
              Could not load the severity levels:{' '}
              {errorMessage(severitiesError)}
            </Alert>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          <TextField
            required
            fullWidth
            margin="normal"
            id="declare-incident-name"
            label="Title"
            helperText="What users notice, e.g. “Checkout fails for card payments”"
            value={title}
            onChange={e => setTitle(e.target.value)}
          />
          <TextField
            select
            required
            fullWidth
            margin="normal"
            id="declare-incident-severity"
            label="Severity"
            value={severity}
            onChange={e => setSeverity(e.target.value)}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            helperText={
              severities?.find(level => level.id === severity)?.description
            }
          >
            <option value="" disabled>
              {severities ? 'Choose a severity' : 'Loading…'}
            </option>
            {severities?.map(level => (
              <option key={level.id} value={level.id}>
                {level.id} – {level.title}
              </option>
            ))}
          </TextField>
          <TextField
            fullWidth
            multiline
            minRows={3}
            margin="normal"
            id="declare-incident-summary"
            label="Summary"
            helperText="What is known so far (optional)"
            value={summary}
            onChange={e => setSummary(e.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting || !title.trim() || !severity}
          >
            Declare
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
