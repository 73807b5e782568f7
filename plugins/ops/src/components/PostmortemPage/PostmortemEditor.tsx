import { MarkdownContent } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Postmortem, POSTMORTEM_LIMITS } from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { opsApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared';

/**
 * Edits the markdown of a post-mortem beside its preview. The save names the
 * version the editor opened on: if someone saved meanwhile, the backend
 * refuses it (409) and the text stays here, so that nothing typed is lost
 * while the user reloads and merges by hand.
 */
export function PostmortemEditor(props: {
  /** The post-mortem as it was when editing began. */
  postmortem: Postmortem;
  onSaved: (postmortem: Postmortem) => void;
  onCancel: () => void;
  /** Reads the post-mortem again, leaving the editor. */
  onReload: () => void;
}) {
  const { postmortem, onSaved, onCancel, onReload } = props;
  const opsApi = useApi(opsApiRef);
  const [body, setBody] = useState(postmortem.body);
  const tooLong = body.length > POSTMORTEM_LIMITS.bodyLength;

  const [save, onSave] = useAsyncFn(async () => {
    const saved = await opsApi.updatePostmortem(postmortem.id, {
      version: postmortem.version,
      body,
    });
    onSaved(saved);
    return saved;
  }, [opsApi, postmortem, body, onSaved]);

  return (
    <Grid container spacing={2}>
      {save.error && (
        <Grid item xs={12}>
          {isConflict(save.error) ? (
            <Alert
              severity="warning"
              action={
                <Button color="inherit" size="small" onClick={onReload}>
                  Reload
                </Button>
              }
            >
              This post-mortem was changed by someone else since you opened it:
              reload to see their version. Your text stays here until you do;
              copy what you want to keep.
            </Alert>
          ) : (
            <Alert severity="error">
              Could not save the post-mortem: {errorMessage(save.error)}
            </Alert>
          )}
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <TextField
          id="postmortem-markdown"
          label="Markdown"
          multiline
          fullWidth
          variant="outlined"
          minRows={20}
          value={body}
          onChange={e => setBody(e.target.value)}
          error={tooLong}
          helperText={
            tooLong
              ? `${body.length} characters, at most ${POSTMORTEM_LIMITS.bodyLength}`
              : undefined
          }
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="overline" component="h3">
          Preview
        </Typography>
        <section aria-label="Preview">
          <MarkdownContent content={body} dialect="gfm" />
        </section>
      </Grid>
      <Grid item xs={12}>
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            variant="contained"
            color="primary"
            disabled={save.loading || tooLong || body === postmortem.body}
            onClick={() => onSave()}
          >
            Save
          </Button>
          <Button variant="outlined" onClick={onCancel}>
            Cancel
          </Button>
        </Box>
      </Grid>
    </Grid>
  );
}
