export * from './drillSchedule';
