/**
 * Test utilities of OpsDeck's node library: a fake Kubernetes API server
 * for tests of code that drives clusters through `@kubernetes/client-node`.
 * See the package README for what it covers and what it does not.
 *
 * @packageDocumentation
 */

export * from './kubernetes';
