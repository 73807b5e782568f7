import {
  Content,
  Header,
  InfoCard,
  Link,
  MarkdownContent,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { Postmortem, POSTMORTEM_TRANSITIONS } from '@opsdeck/plugin-ops-common';
import { useCallback, useState } from 'react';
import { opsApiRef } from '../../api';
import { useReloadingAsync } from '../../hooks';
import { incidentRouteRef, postmortemRouteRef } from '../../routes';
import { ActionItemsSection } from '../ActionItems';
import {
  ActionFeedback,
  errorMessage,
  Feedback,
  GuardedButton,
  useOpsSignal,
  useReload,
  RenderAfterMount,
} from '../shared';
import { downloadMarkdown, markdownFileName } from './downloadMarkdown';
import {
  POSTMORTEM_STATUS_LABELS,
  POSTMORTEM_TRANSITION_ACTIONS,
} from './labels';
import { PostmortemDetails } from './PostmortemDetails';
import { PostmortemEditor } from './PostmortemEditor';
import { EditPeopleDialog } from './EditPeopleDialog';
import { usePostmortemStatusChange } from './usePostmortemStatusChange';
import { usePostmortemWriteAccess } from './usePostmortemWriteAccess';

/** How often the page reads the post-mortem again in an app without signals. */
const POSTMORTEM_POLL_INTERVAL_MS = 30_000;

function PostmortemView(props: {
  postmortem: Postmortem;
  onChanged: () => void;
}) {
  const { postmortem, onChanged } = props;
  const opsApi = useApi(opsApiRef);
  const incidentLink = useRouteRef(incidentRouteRef);
  const { deniedReason } = usePostmortemWriteAccess(postmortem.entityRef);
  const statusChange = usePostmortemStatusChange({ onChanged });
  // The post-mortem as it was when editing began: a change read meanwhile
  // must not reset the text; saving from it is then refused with 409.
  const [editing, setEditing] = useState<Postmortem>();
  const [exportFeedback, setExportFeedback] = useState<Feedback>();
  // The post-mortem as it was when the people dialog opened, as for editing.
  const [editingPeople, setEditingPeople] = useState<Postmortem>();
  const published = postmortem.status === 'published';
  const editDeniedReason = published
    ? 'A published post-mortem is final: record what was learned since as an action item'
    : deniedReason;

  const exportMarkdown = async () => {
    try {
      const markdown = await opsApi.exportPostmortemMarkdown(postmortem.id);
      downloadMarkdown(markdownFileName(postmortem), markdown);
    } catch (error) {
      setExportFeedback({
        severity: 'error',
        message: `Could not export the post-mortem: ${errorMessage(error)}`,
      });
    }
  };

  return (
    <Grid container spacing={3}>
      {(statusChange.feedback || exportFeedback) && (
        <Grid item xs={12}>
          <ActionFeedback
            feedback={statusChange.feedback ?? exportFeedback}
            onClose={() => {
              statusChange.clearFeedback();
              setExportFeedback(undefined);
            }}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          {POSTMORTEM_TRANSITIONS[postmortem.status].map(status => (
            <GuardedButton
              key={status}
              variant={status === 'draft' ? 'outlined' : 'contained'}
              color="primary"
              deniedReason={deniedReason}
              disabled={statusChange.busy || Boolean(editing)}
              onClick={() => statusChange.changeStatus(postmortem, status)}
            >
              {POSTMORTEM_TRANSITION_ACTIONS[status].label}
            </GuardedButton>
          ))}
          {!editing && (
            <GuardedButton
              variant="outlined"
              color="primary"
              deniedReason={editDeniedReason}
              onClick={() => setEditing(postmortem)}
            >
              Edit
            </GuardedButton>
          )}
          <GuardedButton
            variant="outlined"
            color="primary"
            deniedReason={editDeniedReason}
            disabled={Boolean(editing)}
            onClick={() => setEditingPeople(postmortem)}
          >
            Authors and reviewers
          </GuardedButton>
          <Button variant="outlined" onClick={exportMarkdown}>
            Export markdown
          </Button>
          <Link to={incidentLink({ id: postmortem.incidentId })}>
            Back to the incident
          </Link>
        </Box>
      </Grid>
      <EditPeopleDialog
        postmortem={editingPeople}
        onClose={() => setEditingPeople(undefined)}
        onSaved={() => {
          setEditingPeople(undefined);
          onChanged();
        }}
      />
      <Grid item xs={12} md={4}>
        <InfoCard title="Details">
          <PostmortemDetails postmortem={postmortem} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <ActionItemsSection
          postmortem={postmortem}
          deniedReason={deniedReason}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={editing ? 'Editing the post-mortem' : 'Post-mortem'}>
          {editing ? (
            <PostmortemEditor
              postmortem={editing}
              onSaved={() => {
                setEditing(undefined);
                onChanged();
              }}
              onCancel={() => setEditing(undefined)}
              onReload={() => {
                setEditing(undefined);
                onChanged();
              }}
            />
          ) : (
            <MarkdownContent content={postmortem.body} dialect="gfm" />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * One post-mortem: its status with the review and publication steps, its
 * authors and due date, its markdown (edited beside a preview, exported as
 * a file for TechDocs) and its action items. Mounted at
 * `/ops/postmortems/:id`.
 *
 * @public
 */
export function PostmortemPage() {
  return (
    <RenderAfterMount>
      <PostmortemPageContent />
    </RenderAfterMount>
  );
}

function PostmortemPageContent() {
  const { id } = useRouteRefParams(postmortemRouteRef);
  const opsApi = useApi(opsApiRef);
  const [reloadKey, reload] = useReload();
  const postmortem = useReloadingAsync(
    () => opsApi.getPostmortem(id),
    [opsApi, id],
    reloadKey,
  );
  const onSignal = useCallback(
    (signal?: { kind: string; id: string }) => {
      if (!signal || (signal.kind === 'postmortem' && signal.id === id)) {
        reload();
      }
    },
    [id, reload],
  );
  useOpsSignal({
    entityRef: postmortem.value?.entityRef,
    onChange: onSignal,
    pollIntervalMs: POSTMORTEM_POLL_INTERVAL_MS,
  });

  return (
    <Page themeId="tool">
      <Header
        type="Post-mortem"
        title={postmortem.value?.title ?? 'Post-mortem'}
        subtitle={
          postmortem.value &&
          `${postmortem.value.severity} · ${
            POSTMORTEM_STATUS_LABELS[postmortem.value.status]
          }`
        }
      />
      <Content>
        {postmortem.error && (
          // Above what was read before, when a read again failed.
          <Box mb={3}>
            <ResponseErrorPanel error={postmortem.error} />
          </Box>
        )}
        {!postmortem.value && !postmortem.error && <Progress />}
        {postmortem.value && (
          <PostmortemView postmortem={postmortem.value} onChanged={reload} />
        )}
      </Content>
    </Page>
  );
}
