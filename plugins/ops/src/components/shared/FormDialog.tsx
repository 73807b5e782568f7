import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useState } from 'react';
import { errorMessage } from './format';

/**
 * The shell of a dialog that sends one form to the backend: title, the
 * fields, Cancel and a submit button, a progress bar while the request runs,
 * and the backend's reason in place when it fails. The dialog stays open on
 * failure so that nothing the user typed is lost; closing it forgets the
 * failure, so it is not shown again when the dialog reopens.
 */
export function FormDialog(props: {
  /** Id of the title, which names the dialog for assistive technology. */
  titleId: string;
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  /** The submit button's text, e.g. `Declare`. */
  submitLabel: string;
  /** Whether the fields are complete; the submit button waits for them. */
  canSubmit: boolean;
  /** Sends the form; a rejection is shown in the dialog. */
  onSubmit: () => Promise<void>;
  /** Says what failed, e.g. `Could not add the note`; the reason follows. */
  failureMessage: string;
  /** The fields. */
  children: ReactNode;
}) {
  const {
    titleId,
    title,
    open,
    onClose,
    submitLabel,
    canSubmit,
    onSubmit,
    failureMessage,
    children,
  } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Enter in a field submits the form even while the button is disabled.
    if (busy || !canSubmit) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit();
    } catch (e) {
      setError(`${failureMessage}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby={titleId}
    >
      <form onSubmit={submit} aria-busy={busy}>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {error && <Alert severity="error">{error}</Alert>}
          {children}
        </DialogContent>
        {busy && <LinearProgress />}
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !canSubmit}
          >
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
