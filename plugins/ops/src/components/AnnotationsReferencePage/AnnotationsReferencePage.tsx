import {
  CodeSnippet,
  Content,
  Header,
  InfoCard,
  Page,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ANNOTATION_REFERENCE } from '@opsdeck/plugin-ops-common';
import { RenderAfterMount } from '../shared';

/**
 * The reference of the annotations OpsDeck reads, one anchor per annotation:
 * readiness hints link here.
 *
 * @public
 */
export function AnnotationsReferencePage() {
  return (
    <RenderAfterMount>
      <AnnotationsReferencePageContent />
    </RenderAfterMount>
  );
}

function AnnotationsReferencePageContent() {
  return (
    <Page themeId="tool">
      <Header
        title="OpsDeck annotations"
        subtitle="What to add to a service's catalog-info.yaml so its Operations tab is complete"
      />
      <Content>
        <Grid container spacing={3}>
          {ANNOTATION_REFERENCE.map(reference => (
            <Grid item xs={12} key={reference.annotation} id={reference.anchor}>
              <InfoCard title={reference.annotation}>
                <Typography variant="body1" paragraph>
                  {reference.description}
                </Typography>
                <CodeSnippet
                  language="yaml"
                  text={`metadata:\n  annotations:\n    ${reference.example}`}
                />
              </InfoCard>
            </Grid>
          ))}
          {/* A readiness item that no annotation puts in place: the
              checklist's "How to add it" of post-mortems links here. */}
          <Grid item xs={12} id="postmortems">
            <InfoCard title="Learning from incidents (no annotation)">
              <Typography variant="body1" paragraph>
                Every SEV1 and SEV2 incident of the service needs a published
                post-mortem within 5 business days (Monday to Friday) of its
                resolution or mitigation (ops.postmortems.dueBusinessDays and
                dueSeverities in app-config), and no action item of its
                post-mortems may be past its due date. Start a post-mortem with
                "Start post-mortem" on the resolved incident&apos;s page:
                OpsDeck drafts it from the incident&apos;s timeline, alerts,
                deployments, on-call and SLO burn; review it, publish it, and
                track its action items on the Operations tab and the OpsDeck
                page.
              </Typography>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
