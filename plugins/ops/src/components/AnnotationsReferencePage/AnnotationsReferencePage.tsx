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

/**
 * The reference of the annotations OpsDeck reads, one anchor per annotation:
 * readiness hints link here.
 *
 * @public
 */
export function AnnotationsReferencePage() {
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
        </Grid>
      </Content>
    </Page>
  );
}
