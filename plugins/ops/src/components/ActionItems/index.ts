export { ActionItemsSection } from './ActionItemsSection';
export { ActionItemsTable } from './ActionItemsTable';
export { OpenActionItemsCard } from './OpenActionItemsCard';
