export { SlosContent } from './SlosContent';
