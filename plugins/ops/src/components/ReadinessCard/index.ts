export { ReadinessCard, readinessCardRead } from './ReadinessCard';
