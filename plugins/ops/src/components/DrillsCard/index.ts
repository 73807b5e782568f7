export { DrillsCard } from './DrillsCard';
