import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import AddAlertIcon from '@material-ui/icons/AddAlert';
import BuildIcon from '@material-ui/icons/Build';
import ChatBubbleOutlineIcon from '@material-ui/icons/ChatBubbleOutline';
import EditIcon from '@material-ui/icons/Edit';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import { IncidentEvent, IncidentEventType } from '@opsdeck/plugin-ops-common';
import { ComponentType } from 'react';
import { Actor, Timestamp, TruncatedText } from '../shared';

// What the responders write (notes, actions) is read in full, wrapped even
// inside a long unbroken string; what the backend records (declared, status
// and field changes) is one line that names the incident's title, which may
// be 200 characters: cut with an ellipsis, whole on hover.
const WRITTEN_EVENT_TYPES: ReadonlySet<IncidentEventType> = new Set([
  'note',
  'action',
]);

const EVENT_TYPES: Record<
  IncidentEventType,
  { label: string; Icon: ComponentType<{ titleAccess?: string }> }
> = {
  created: { label: 'Declared', Icon: AddAlertIcon },
  'status-changed': { label: 'Status changed', Icon: SwapHorizIcon },
  updated: { label: 'Updated', Icon: EditIcon },
  note: { label: 'Note', Icon: ChatBubbleOutlineIcon },
  action: { label: 'Action', Icon: BuildIcon },
};

/**
 * An incident's timeline, oldest first, as the backend keeps it. The backend
 * sends the latest events first: `onShowEarlier` (when there are earlier
 * ones) loads the page before.
 */
export function IncidentTimeline(props: {
  events: IncidentEvent[];
  onShowEarlier?: () => void;
  loadingEarlier?: boolean;
}) {
  const { events, onShowEarlier, loadingEarlier } = props;
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing on the timeline yet.
      </Typography>
    );
  }
  return (
    <>
      {onShowEarlier && (
        <Button
          variant="text"
          color="primary"
          disabled={loadingEarlier}
          onClick={onShowEarlier}
        >
          Show earlier events
        </Button>
      )}
      <List aria-label="Timeline">
        {events.map(event => {
          const { label, Icon } =
            EVENT_TYPES[event.type] ?? EVENT_TYPES.updated;
          return (
            <ListItem
              key={event.id}
              alignItems="flex-start"
              data-event-type={event.type}
            >
              <ListItemIcon>
                <Icon titleAccess={label} />
              </ListItemIcon>
              <ListItemText
                primary={
                  WRITTEN_EVENT_TYPES.has(event.type) ? (
                    event.message
                  ) : (
                    <TruncatedText text={event.message} variant="body1" />
                  )
                }
                primaryTypographyProps={{
                  style: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
                }}
                secondary={
                  <>
                    <Actor actor={event.author} />
                    {' · '}
                    <Timestamp iso={event.createdAt} />
                  </>
                }
              />
            </ListItem>
          );
        })}
      </List>
    </>
  );
}
