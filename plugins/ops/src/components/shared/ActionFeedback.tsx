import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { TruncatedText } from './TruncatedText';

/** The outcome of a user's action that is worth telling them. */
export interface Feedback {
  severity: 'success' | 'warning' | 'error';
  message: string;
}

const useStyles = makeStyles({
  // The message is a flex item of the alert: without a min-width of 0 it
  // takes its text's width and pushes the close button out of the card.
  message: { minWidth: 0, flex: '1 1 auto' },
});

/**
 * Shows a {@link Feedback} in place, until it is dismissed. Successes name
 * what changed ("Declared SEV2: “…”"), and a title may be 200 characters:
 * they stay on one line, cut with an ellipsis, whole on hover. Warnings and
 * errors are read in full, so they wrap.
 */
export function ActionFeedback(props: {
  feedback?: Feedback;
  onClose: () => void;
}) {
  const { feedback, onClose } = props;
  const classes = useStyles();
  if (!feedback) {
    return null;
  }
  return (
    <Alert
      severity={feedback.severity}
      onClose={onClose}
      classes={{ message: classes.message }}
    >
      {feedback.severity === 'success' ? (
        <TruncatedText text={feedback.message} />
      ) : (
        <span style={{ overflowWrap: 'anywhere' }}>{feedback.message}</span>
      )}
    </Alert>
  );
}
