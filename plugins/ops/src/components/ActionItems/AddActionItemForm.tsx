import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import Alert from '@material-ui/lab/Alert';
import { ActionItem, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { FormEvent, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { opsApiRef } from '../../api';
import { errorMessage, GuardedButton } from '../shared';
import { OwnerOption, useOwnerOptions } from './useOwnerOptions';

function isWebUrl(url: string): boolean {
  return /^https?:\/\/\S+$/i.test(url);
}

/**
 * Adds an action item to a post-mortem: what to do, who owns it (a team or a
 * person of the catalog), by when, and optionally where it is tracked.
 */
export function AddActionItemForm(props: {
  postmortemId: string;
  deniedReason?: string;
  onAdded: (item: ActionItem) => void;
}) {
  const { postmortemId, deniedReason, onAdded } = props;
  const opsApi = useApi(opsApiRef);
  const owners = useOwnerOptions();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState<OwnerOption | null>(null);
  const [dueDate, setDueDate] = useState('');
  const [link, setLink] = useState('');
  const linkInvalid = link.trim() !== '' && !isWebUrl(link.trim());
  const complete =
    title.trim() !== '' && owner !== null && dueDate !== '' && !linkInvalid;

  const [add, onAdd] = useAsyncFn(async () => {
    const item = await opsApi.addActionItem(postmortemId, {
      title: title.trim(),
      ownerRef: owner!.ref,
      dueDate,
      ...(link.trim() ? { link: link.trim() } : {}),
    });
    setTitle('');
    setOwner(null);
    setDueDate('');
    setLink('');
    onAdded(item);
    return item;
  }, [opsApi, postmortemId, title, owner, dueDate, link, onAdded]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (complete && !add.loading && !deniedReason) {
      onAdd();
    }
  };

  return (
    <form aria-label="Add an action item" onSubmit={submit}>
      {add.error && (
        <Alert severity="error">
          Could not add the action item: {errorMessage(add.error)}
        </Alert>
      )}
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        style={{ gap: 12 }}
      >
        <TextField
          id="action-item-title"
          label="Action item"
          size="small"
          value={title}
          onChange={e => setTitle(e.target.value)}
          inputProps={{ maxLength: RECORD_LIMITS.titleLength }}
          style={{ flex: '2 1 220px' }}
        />
        <Autocomplete
          id="action-item-owner"
          options={owners.value ?? []}
          loading={owners.loading}
          groupBy={option => (option.kind === 'Group' ? 'Teams' : 'People')}
          value={owner}
          getOptionLabel={option => option.label}
          getOptionSelected={(option, value) => option.ref === value.ref}
          onChange={(_event, option) => setOwner(option)}
          style={{ flex: '1 1 200px' }}
          renderInput={params => (
            <TextField
              {...params}
              size="small"
              label="Owner"
              error={Boolean(owners.error)}
              helperText={
                owners.error &&
                `Could not load the catalog's users and groups: ${owners.error.message}`
              }
            />
          )}
        />
        <TextField
          id="action-item-due-date"
          label="Due date"
          type="date"
          size="small"
          value={dueDate}
          onChange={e => setDueDate(e.target.value)}
          InputLabelProps={{ shrink: true }}
        />
        <TextField
          id="action-item-link"
          label="Link (optional)"
          size="small"
          value={link}
          onChange={e => setLink(e.target.value)}
          error={linkInvalid}
          helperText={linkInvalid ? 'An http(s) address' : undefined}
          style={{ flex: '1 1 200px' }}
        />
        <GuardedButton
          type="submit"
          variant="contained"
          color="primary"
          deniedReason={deniedReason}
          disabled={!complete || add.loading}
        >
          Add action item
        </GuardedButton>
      </Box>
    </form>
  );
}
