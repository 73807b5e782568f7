import Alert from '@material-ui/lab/Alert';

/** The outcome of a user's action that is worth telling them. */
export interface Feedback {
  severity: 'success' | 'warning' | 'error';
  message: string;
}

/** Shows a {@link Feedback} in place, until it is dismissed. */
export function ActionFeedback(props: {
  feedback?: Feedback;
  onClose: () => void;
}) {
  const { feedback, onClose } = props;
  if (!feedback) {
    return null;
  }
  return (
    <Alert severity={feedback.severity} onClose={onClose}>
      {feedback.message}
    </Alert>
  );
}
