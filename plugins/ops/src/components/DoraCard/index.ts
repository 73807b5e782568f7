export { DoraCard } from './DoraCard';
