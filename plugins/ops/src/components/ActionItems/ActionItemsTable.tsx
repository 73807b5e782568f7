import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ActionItem } from '@opsdeck/plugin-ops-common';
import { postmortemRouteRef } from '../../routes';
import { GuardedButton } from '../shared';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import { OverdueChip } from '../PostmortemPage/PostmortemDetails';
import { formatDay } from '../PostmortemPage/labels';

/**
 * Action items with their owner, due date (overdue ones flagged) and status.
 * Outside a post-mortem, each may name its service (`showService`) and link
 * to its post-mortem (`showPostmortem`); with `onMarkDone`, open ones can be
 * closed.
 */
export function ActionItemsTable(props: {
  items: ActionItem[];
  label: string;
  emptyText: string;
  showService?: boolean;
  showPostmortem?: boolean;
  onMarkDone?: (item: ActionItem) => void;
  deniedReason?: (item: ActionItem) => string | undefined;
  busyId?: string;
}) {
  const { items, label, emptyText, showService, showPostmortem } = props;
  const { onMarkDone, busyId } = props;
  const postmortemLink = useRouteRef(postmortemRouteRef);
  const columns =
    5 +
    Number(Boolean(showService)) +
    Number(Boolean(showPostmortem)) +
    Number(Boolean(onMarkDone));
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Title</TableCell>
          {showService && <TableCell>Service</TableCell>}
          <TableCell>Owner</TableCell>
          <TableCell>Due</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Link</TableCell>
          {showPostmortem && <TableCell>Post-mortem</TableCell>}
          {onMarkDone && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {items.length === 0 && (
          <TableRow>
            <TableCell colSpan={columns}>
              <Typography variant="body2" color="textSecondary">
                {emptyText}
              </Typography>
            </TableCell>
          </TableRow>
        )}
        {items.map(item => (
          <TableRow key={item.id}>
            <TableCell>{item.title}</TableCell>
            {showService && (
              <TableCell>
                <EntityRefLink entityRef={item.entityRef} />
              </TableCell>
            )}
            <TableCell>
              <EntityRefLink entityRef={item.ownerRef} />
            </TableCell>
            <TableCell>
              {formatDay(item.dueDate)}
              {item.overdue && <OverdueChip />}
            </TableCell>
            <TableCell>{item.status === 'done' ? 'Done' : 'Open'}</TableCell>
            <TableCell>
              {item.link ? <Link to={item.link}>{item.link}</Link> : '–'}
            </TableCell>
            {showPostmortem && (
              <TableCell>
                <Link to={postmortemLink({ id: item.postmortemId })}>
                  Post-mortem
                </Link>
              </TableCell>
            )}
            {onMarkDone && (
              <TableCell>
                {item.status === 'open' && (
                  <GuardedButton
                    size="small"
                    variant="outlined"
                    deniedReason={props.deniedReason?.(item)}
                    disabled={busyId === item.id}
                    aria-label={`Mark “${item.title}” done`}
                    onClick={() => onMarkDone(item)}
                  >
                    Mark done
                  </GuardedButton>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
