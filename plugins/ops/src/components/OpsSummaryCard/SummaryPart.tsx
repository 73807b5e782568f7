import Box from '@material-ui/core/Box';
import Skeleton from '@material-ui/lab/Skeleton';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useId } from 'react';
import { errorMessage, TruncatedText } from '../shared';

/**
 * One part of the summary card, a region named by its label. Each part
 * loads on its own: a part whose source fails says so in one line, and the
 * others still show.
 */
export function SummaryPart(props: {
  label: string;
  loading: boolean;
  error?: Error;
  children?: ReactNode;
}) {
  const { label, loading, error, children } = props;
  const labelId = useId();
  let content: ReactNode = children;
  if (error) {
    content = (
      <Typography color="error" variant="body2" component="div">
        <TruncatedText text={`Unavailable: ${errorMessage(error)}`} />
      </Typography>
    );
  } else if (loading) {
    content = <Skeleton variant="text" width="60%" />;
  }
  return (
    <Box component="section" aria-labelledby={labelId} minWidth={0} mb={2}>
      <Typography id={labelId} variant="overline" color="textSecondary">
        {label}
      </Typography>
      {content}
    </Box>
  );
}
