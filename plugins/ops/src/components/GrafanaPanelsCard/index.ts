export { GrafanaPanelsCard } from './GrafanaPanelsCard';
