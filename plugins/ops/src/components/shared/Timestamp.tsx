import Tooltip from '@material-ui/core/Tooltip';
import { formatAge, formatTimestamp } from './format';

/** How long ago something happened, with the exact time on hover. */
export function Timestamp(props: { iso: string; prefix?: string }) {
  const { iso, prefix } = props;
  return (
    <Tooltip title={formatTimestamp(iso)}>
      <time dateTime={iso}>
        {prefix ? `${prefix} ` : ''}
        {formatAge(iso)}
      </time>
    </Tooltip>
  );
}
