import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Postmortem } from '@opsdeck/plugin-ops-common';
import { ReactNode } from 'react';
import { Actor, formatTimestamp } from '../shared';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import { formatDay, POSTMORTEM_STATUS_LABELS } from './labels';

function Field(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" style={{ width: '30%' }}>
        <Typography variant="body2" color="textSecondary">
          {props.label}
        </Typography>
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

function People(props: { refs: string[] }) {
  if (props.refs.length === 0) {
    return <span>–</span>;
  }
  return (
    <>
      {props.refs.map((ref, index) => (
        <span key={ref}>
          {index > 0 && ', '}
          <Actor actor={ref} />
        </span>
      ))}
    </>
  );
}

/** An overdue mark that reads as text too, not only as a colour. */
export function OverdueChip() {
  return (
    <Chip
      size="small"
      label="Overdue"
      style={{ marginLeft: 8, backgroundColor: '#d32f2f', color: '#fff' }}
    />
  );
}

/** Who wrote and reviews a post-mortem, and when it is due. */
export function PostmortemDetails(props: { postmortem: Postmortem }) {
  const { postmortem } = props;
  return (
    <Table size="small" aria-label="Post-mortem details">
      <TableBody>
        <Field label="Status">
          {POSTMORTEM_STATUS_LABELS[postmortem.status]}
          {postmortem.publishedAt &&
            ` on ${formatTimestamp(postmortem.publishedAt)}`}
        </Field>
        <Field label="Due">
          {postmortem.dueAt ? formatDay(postmortem.dueAt) : 'No due date'}
          {postmortem.overdue && <OverdueChip />}
        </Field>
        <Field label="Service">
          <EntityRefLink entityRef={postmortem.entityRef} />
        </Field>
        <Field label="Severity">{postmortem.severity}</Field>
        <Field label="Authors">
          <People refs={postmortem.authors} />
        </Field>
        <Field label="Reviewers">
          <People refs={postmortem.reviewers} />
        </Field>
        <Field label="Last change">
          <Actor actor={postmortem.updatedBy} />
          {` on ${formatTimestamp(postmortem.updatedAt)}`}
        </Field>
      </TableBody>
    </Table>
  );
}
