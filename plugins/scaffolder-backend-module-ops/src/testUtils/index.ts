/**
 * Test and benchmark utilities of OpsDeck's scaffolder module: real
 * PostgreSQL clusters on loopback, a recording fake of the ops backend, a
 * script context for the actions, and the drill's building blocks that
 * `yarn bench:drill` times one by one. Not for production use.
 *
 * @packageDocumentation
 */

export * from './bench';
export * from './fixtures';
export * from './types';
