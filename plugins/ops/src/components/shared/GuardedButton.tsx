import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';

/**
 * A button for a write action: disabled, with the reason as its tooltip,
 * when the user may not do it.
 */
export function GuardedButton(
  props: ButtonProps & {
    /** Why the user may not do it; the button is enabled without one. */
    deniedReason?: string;
  },
) {
  const { deniedReason, disabled, ...buttonProps } = props;
  if (!deniedReason) {
    return <Button {...buttonProps} disabled={disabled} />;
  }
  return (
    <Tooltip title={deniedReason}>
      {/* A disabled button fires no events, so the span shows the tooltip. */}
      <span>
        <Button {...buttonProps} disabled />
      </span>
    </Tooltip>
  );
}
