export { OpsSummaryCard } from './OpsSummaryCard';
