export { IncidentsCard, incidentsCardRead } from './IncidentsCard';
