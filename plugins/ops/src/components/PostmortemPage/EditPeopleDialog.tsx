import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { Postmortem, POSTMORTEM_LIMITS } from '@opsdeck/plugin-ops-common';
import { useEffect, useState } from 'react';
import { opsApiRef } from '../../api';
import {
  FormDialog,
  isConflict,
  useCatalogUserOptions,
  UserOption,
  userOptionOf,
} from '../shared';

const sameRefs = (a: string[], b: string[]) =>
  a.length === b.length && a.every((ref, index) => ref === b[index]);

function PeoplePicker(props: {
  id: string;
  label: string;
  helperText: string;
  refs: string[];
  onChange: (refs: string[]) => void;
  users: { loading: boolean; value?: UserOption[]; error?: Error };
}) {
  const { id, label, helperText, refs, onChange, users } = props;
  const options = users.value ?? [];
  const full = refs.length >= POSTMORTEM_LIMITS.people;
  return (
    <Autocomplete
      id={id}
      multiple
      options={options}
      loading={users.loading}
      value={refs.map(ref => userOptionOf(ref, options))}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      getOptionDisabled={option => full && !refs.includes(option.ref)}
      filterSelectedOptions
      onChange={(_event, chosen) => onChange(chosen.map(option => option.ref))}
      renderInput={params => (
        <TextField
          {...params}
          margin="normal"
          label={label}
          helperText={
            users.error
              ? `Could not load the catalog's users: ${users.error.message}`
              : helperText
          }
          error={Boolean(users.error)}
        />
      )}
    />
  );
}

/**
 * Names the authors and reviewers of a post-mortem, users of the catalog.
 * Sent from the version the user saw. When someone else saved meanwhile
 * (409), the dialog reads the post-mortem again: if they left the authors
 * and reviewers as the dialog found them (they edited the text, say), it
 * sends the user's choice again on their version; if they changed them, it
 * says so and stays open, so that neither change overwrites the other.
 */
export function EditPeopleDialog(props: {
  /** The post-mortem to edit; the dialog is closed without one. */
  postmortem?: Postmortem;
  onClose: () => void;
  onSaved: (postmortem: Postmortem) => void;
}) {
  const { postmortem, onClose, onSaved } = props;
  const opsApi = useApi(opsApiRef);
  const users = useCatalogUserOptions(Boolean(postmortem));
  const [authors, setAuthors] = useState<string[]>([]);
  const [reviewers, setReviewers] = useState<string[]>([]);

  useEffect(() => {
    setAuthors(postmortem?.authors ?? []);
    setReviewers(postmortem?.reviewers ?? []);
  }, [postmortem]);

  const changed =
    postmortem !== undefined &&
    (!sameRefs(authors, postmortem.authors) ||
      !sameRefs(reviewers, postmortem.reviewers));

  const submit = async () => {
    if (!postmortem) {
      return;
    }
    // The update replaces the text too: the one of the version it names.
    const sendOn = (base: Postmortem) =>
      opsApi.updatePostmortem(base.id, {
        version: base.version,
        body: base.body,
        authors,
        reviewers,
      });
    try {
      onSaved(await sendOn(postmortem));
    } catch (error) {
      if (!isConflict(error)) {
        throw error;
      }
      const latest = await opsApi.getPostmortem(postmortem.id);
      if (
        !sameRefs(latest.authors, postmortem.authors) ||
        !sameRefs(latest.reviewers, postmortem.reviewers)
      ) {
        throw new Error(
          'someone else changed the authors or reviewers since you opened this dialog. Cancel and open it again to see theirs.',
        );
      }
      onSaved(await sendOn(latest));
    }
  };

  return (
    <FormDialog
      titleId="edit-postmortem-people-title"
      title={<>Authors and reviewers of “{postmortem?.title}”</>}
      open={Boolean(postmortem)}
      onClose={onClose}
      submitLabel="Save"
      canSubmit={changed}
      onSubmit={submit}
      failureMessage="Could not save the authors and reviewers"
    >
      <PeoplePicker
        id="edit-postmortem-authors"
        label="Authors"
        helperText="Who writes the post-mortem: users of the catalog"
        refs={authors}
        onChange={setAuthors}
        users={users}
      />
      <PeoplePicker
        id="edit-postmortem-reviewers"
        label="Reviewers"
        helperText="Who reviews it before it is published"
        refs={reviewers}
        onChange={setReviewers}
        users={users}
      />
    </FormDialog>
  );
}
