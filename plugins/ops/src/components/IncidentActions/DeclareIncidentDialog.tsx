import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  Incident,
  RECORD_LIMITS,
  SeverityLevel,
} from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { opsApiRef } from '../../api';
import {
  errorMessage,
  FormDialog,
  lengthHint,
  severityOptions,
} from '../shared';

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

  const submit = async () => {
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
  };

  return (
    <FormDialog
      titleId="declare-incident-title"
      title="Declare incident"
      open={open}
      onClose={onClose}
      submitLabel="Declare"
      canSubmit={Boolean(title.trim() && severity)}
      onSubmit={submit}
      failureMessage="Could not declare the incident"
    >
      {severitiesError && (
        <Alert severity="error">
          Could not load the severity levels: {errorMessage(severitiesError)}
        </Alert>
      )}
      <TextField
        required
        fullWidth
        margin="normal"
        id="declare-incident-name"
        label="Title"
        helperText={lengthHint(
          title,
          RECORD_LIMITS.titleLength,
          'What users notice, e.g. “Checkout fails for card payments”',
        )}
        inputProps={{ maxLength: RECORD_LIMITS.titleLength }}
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
        {severityOptions(severities)}
      </TextField>
      <TextField
        fullWidth
        multiline
        minRows={3}
        margin="normal"
        id="declare-incident-summary"
        label="Summary"
        helperText={lengthHint(
          summary,
          RECORD_LIMITS.textLength,
          'What is known so far (optional)',
        )}
        inputProps={{ maxLength: RECORD_LIMITS.textLength }}
        value={summary}
        onChange={e => setSummary(e.target.value)}
      />
    </FormDialog>
  );
}
