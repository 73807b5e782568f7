import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Postmortem } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { postmortemRouteRef } from '../../routes';
import { ActionItemsTable } from '../ActionItems';
import { OverdueChip } from '../PostmortemPage/PostmortemDetails';
import { formatDay, POSTMORTEM_STATUS_LABELS } from '../PostmortemPage/labels';
import { WholeWordTable as Table } from '../shared/WholeWordTable';

/** The unpublished post-mortems with a due date, the overdue ones first. */
export function duePostmortems(postmortems: Postmortem[]): Postmortem[] {
  return postmortems
    .filter(p => p.status !== 'published' && p.dueAt)
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        a.dueAt!.localeCompare(b.dueAt!),
    );
}

function PostmortemsDue() {
  const opsApi = useApi(opsApiRef);
  const postmortemLink = useRouteRef(postmortemRouteRef);
  const postmortems = useAsync(
    async () => duePostmortems((await opsApi.listPostmortems()).items),
    [opsApi],
  );
  if (postmortems.error) {
    return <ResponseErrorPanel error={postmortems.error} />;
  }
  if (!postmortems.value) {
    return <Progress />;
  }
  return (
    <TableContainer component={Paper}>
      <Table aria-label="Post-mortems due">
        <TableHead>
          <TableRow>
            <TableCell>Post-mortem</TableCell>
            <TableCell>Service</TableCell>
            <TableCell>Severity</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Due</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {postmortems.value.length === 0 && (
            <TableRow>
              <TableCell colSpan={5}>
                <Typography variant="body2" color="textSecondary">
                  No post-mortem is due.
                </Typography>
              </TableCell>
            </TableRow>
          )}
          {postmortems.value.map(postmortem => (
            <TableRow key={postmortem.id}>
              <TableCell>
                <Link to={postmortemLink({ id: postmortem.id })}>
                  {postmortem.title}
                </Link>
              </TableCell>
              <TableCell>
                <EntityRefLink entityRef={postmortem.entityRef} />
              </TableCell>
              <TableCell>{postmortem.severity}</TableCell>
              <TableCell>
                {POSTMORTEM_STATUS_LABELS[postmortem.status]}
              </TableCell>
              <TableCell>
                {formatDay(postmortem.dueAt!)}
                {postmortem.overdue && <OverdueChip />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function OpenActionItems() {
  const opsApi = useApi(opsApiRef);
  // The backend sorts them: overdue first, then by due date.
  const items = useAsync(
    () => opsApi.listActionItems({ status: 'open' }),
    [opsApi],
  );
  if (items.error) {
    return <ResponseErrorPanel error={items.error} />;
  }
  if (!items.value) {
    return <Progress />;
  }
  return (
    <TableContainer component={Paper}>
      <ActionItemsTable
        label="Open action items"
        emptyText="No open action item."
        items={items.value.items}
        showService
        showPostmortem
      />
    </TableContainer>
  );
}

/**
 * A section's heading, as ContentHeader draws its title but without setting
 * the document's title: the page's title stays "Operations".
 */
function SectionHeading(props: { children: string }) {
  return (
    <Box mt={4} mb={2}>
      <Typography variant="h4" component="h2">
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * What the incidents left to do, across services: post-mortems to publish
 * and action items to close, the overdue ones first.
 */
export function FollowUps() {
  return (
    <>
      <SectionHeading>Post-mortems due</SectionHeading>
      <PostmortemsDue />
      <SectionHeading>Open action items</SectionHeading>
      <OpenActionItems />
    </>
  );
}
