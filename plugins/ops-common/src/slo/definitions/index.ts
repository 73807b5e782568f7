export type { SloSourceFile, SloDefinitionsResult } from './common';
export { formatSloDefinitionError } from './common';
export type { SloParseOptions } from './parse';
export { parseSloDefinitions } from './parse';
