import { useApi } from '@backstage/core-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { OnCallOverride } from '@opsdeck/plugin-ops-common';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { opsApiRef } from '../../api';
import { FormDialog } from '../shared';
import { LEVEL_LABELS } from './levels';

/** `datetime-local` value of a time, in the browser's zone. */
function localInput(date: DateTime): string {
  return date.toFormat("yyyy-LL-dd'T'HH:mm");
}

/**
 * Puts someone on call instead for a while: a shift swap. Times are in the
 * browser's time zone; the backend keeps them in UTC.
 */
export function OverrideDialog(props: {
  open: boolean;
  entityRef: string;
  levels: string[];
  onClose: () => void;
  onAdded: (override: OnCallOverride) => void;
}) {
  const { open, entityRef, levels, onClose, onAdded } = props;
  const opsApi = useApi(opsApiRef);
  const now = DateTime.now().startOf('hour').plus({ hours: 1 });
  const [level, setLevel] = useState(levels[0] ?? 'primary');
  const [userRef, setUserRef] = useState('');
  const [start, setStart] = useState(localInput(now));
  const [end, setEnd] = useState(localInput(now.plus({ hours: 12 })));
  const [reason, setReason] = useState('');

  const submit = async () => {
    const trimmed = userRef.trim();
    const added = await opsApi.addOnCallOverride({
      entityRef,
      level: level as OnCallOverride['level'],
      userRef: trimmed.includes(':') ? trimmed : `user:default/${trimmed}`,
      start: DateTime.fromISO(start).toUTC().toISO()!,
      end: DateTime.fromISO(end).toUTC().toISO()!,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    onAdded(added);
  };

  return (
    <FormDialog
      titleId="oncall-override-title"
      title="Override on-call"
      open={open}
      onClose={onClose}
      submitLabel="Add override"
      canSubmit={Boolean(userRef.trim())}
      onSubmit={submit}
      failureMessage="Could not add the override"
    >
      <TextField
        select
        fullWidth
        margin="normal"
        id="oncall-override-level"
        label="Level"
        value={level}
        onChange={e => setLevel(e.target.value)}
      >
        {levels.map(each => (
          <MenuItem key={each} value={each}>
            {LEVEL_LABELS[each] ?? each}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        required
        fullWidth
        margin="normal"
        id="oncall-override-user"
        label="Who takes over"
        placeholder="user:default/jane.doe"
        helperText="A user entity ref, or a user name in the default namespace"
        value={userRef}
        onChange={e => setUserRef(e.target.value)}
      />
      <TextField
        required
        fullWidth
        margin="normal"
        type="datetime-local"
        id="oncall-override-start"
        label="From"
        InputLabelProps={{ shrink: true }}
        value={start}
        onChange={e => setStart(e.target.value)}
      />
      <TextField
        required
        fullWidth
        margin="normal"
        type="datetime-local"
        id="oncall-override-end"
        label="Until"
        InputLabelProps={{ shrink: true }}
        value={end}
        onChange={e => setEnd(e.target.value)}
      />
      <TextField
        fullWidth
        margin="normal"
        id="oncall-override-reason"
        label="Reason"
        placeholder="Shift swap"
        value={reason}
        onChange={e => setReason(e.target.value)}
      />
    </FormDialog>
  );
}
