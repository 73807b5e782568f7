import net from 'node:net';
import {
  findFreeLoopbackPort,
  isLoopbackPortOpen,
  scratchPrefix,
} from './scratchInstance';

describe('scratchPrefix', () => {
  it('is the same for every attempt of a task step and target, and short', () => {
    const prefix = scratchPrefix(
      '3f2a7c9e-1b4d-4e8f-9a0b-123456789abc',
      'orders-db',
    );
    expect(prefix).toMatch(/^opsdeck-drill-[0-9a-f]{12}-$/);
    expect(
      scratchPrefix('3f2a7c9e-1b4d-4e8f-9a0b-123456789abc', 'orders-db'),
    ).toBe(prefix);
    expect(
      scratchPrefix('3f2a7c9e-1b4d-4e8f-9a0b-123456789abc', 'billing-db'),
    ).not.toBe(prefix);
    expect(scratchPrefix('another-task', 'orders-db')).not.toBe(prefix);
  });
});

describe('loopback ports', () => {
  it('finds a free port, and tells an open port from a closed one', async () => {
    const port = await findFreeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    expect(await isLoopbackPortOpen(port)).toBe(false);

    const server = net.createServer(socket => socket.destroy());
    await new Promise<void>(resolve =>
      server.listen(port, '127.0.0.1', resolve),
    );
    try {
      expect(await isLoopbackPortOpen(port)).toBe(true);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
    expect(await isLoopbackPortOpen(port)).toBe(false);
  });
});
