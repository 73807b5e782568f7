export { DoraCard, doraCardRead } from './DoraCard';
