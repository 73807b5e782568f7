import Grid from '@material-ui/core/Grid';
import { ReadinessCard } from '../ReadinessCard';

/**
 * The Operations tab of an entity page.
 *
 * @public
 */
export function OperationsContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} md={6}>
        <ReadinessCard />
      </Grid>
    </Grid>
  );
}
