/**
 * The OpsDeck backend plugin, serving `/api/ops`.
 *
 * @packageDocumentation
 */

export { opsPlugin as default } from './plugin';
