export { ActionItemsSection } from './ActionItemsSection';
export { ActionItemsTable } from './ActionItemsTable';
export {
  OpenActionItemsCard,
  openActionItemsCardRead,
} from './OpenActionItemsCard';
