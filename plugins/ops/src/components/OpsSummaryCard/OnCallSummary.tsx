import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { OnCallStatus } from '@opsdeck/plugin-ops-common';
import { useEntityOnCall } from '../../hooks';
import { LEVEL_LABELS, PROVIDER_LABELS } from '../OnCallCard/levels';
import { TruncatedText } from '../shared';
import { SummaryPart } from './SummaryPart';

function OnCallNow(props: { status: OnCallStatus }) {
  const { status } = props;
  const provider = PROVIDER_LABELS[status.provider] ?? status.provider;
  if (status.state === 'unavailable') {
    return (
      <Typography color="error" variant="body2" component="div">
        <TruncatedText
          text={`${provider} unavailable: ${status.messages.join(' ')}`}
        />
      </Typography>
    );
  }
  // The first escalation level is who gets paged: primary, when there is one.
  const level =
    status.levels.find(l => l.level === 'primary') ?? status.levels[0];
  if (!level) {
    return (
      <TruncatedText
        text={status.messages.join(' ') || 'No on-call schedule'}
      />
    );
  }
  const levelLabel = LEVEL_LABELS[level.level] ?? level.level;
  const shift = level.current;
  if (!shift) {
    return <TruncatedText text={`${levelLabel}: nobody`} />;
  }
  const name = shift.contact?.displayName ?? shift.userRef;
  return (
    <TruncatedText text={`${levelLabel}: ${name}`}>
      {levelLabel}:{' '}
      {shift.userRef.startsWith('user:') ? (
        <EntityRefLink entityRef={shift.userRef} title={name} />
      ) : (
        name
      )}
    </TruncatedText>
  );
}

/** Who gets paged for the entity now. */
export function OnCallSummary(props: { entityRef: string }) {
  const { entityRef } = props;
  // Shared with the Operations tab's On call card.
  const { value, loading, error } = useEntityOnCall(entityRef);
  return (
    <SummaryPart label="On call now" loading={loading} error={error}>
      {value && <OnCallNow status={value} />}
    </SummaryPart>
  );
}
