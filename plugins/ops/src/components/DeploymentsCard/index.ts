export { DeploymentsCard, deploymentsCardRead } from './DeploymentsCard';
