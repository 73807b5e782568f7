export { DrillsCard, drillsCardRead } from './DrillsCard';
