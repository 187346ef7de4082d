// Idle keep-alive connections: the server must not close one before its clients do. Node's
// default (5 s) closed it under clients that keep connections longer (Grafana's proxy: 90 s;
// undici while the event loop is busy), whose next request on it then failed: CI saw
// "fetch failed" on a POST of the API fuzz test on a loaded machine.

import { Agent, get, IncomingMessage } from 'http';
import { Socket } from 'net';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { captureLog, secret, serverConfig, tempDir } from './helpers';

jest.setTimeout(60_000);

let server: RunningServer;

beforeAll(async () => {
  server = await startServer(serverConfig({ dbPath: join(tempDir('keep-alive'), 'burnrate.db'), bootstrapAdminToken: secret() }), captureLog().log);
});
afterAll(async () => {
  await server?.close();
});

const healthz = (agent: Agent) =>
  new Promise<{ res: IncomingMessage; socket: Socket }>((resolve, reject) => {
    const req = get(`${server.url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ res, socket: req.socket as Socket }));
    });
    req.on('error', reject);
  });

it('an idle keep-alive connection is still open after 8 s (Node closed it after 5), and the next request reuses it', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await healthz(agent);
    expect(first.res.statusCode).toBe(200);
    let closedAt: number | undefined;
    const idleSince = Date.now();
    first.socket.once('close', () => (closedAt = Date.now() - idleSince));
    await new Promise((r) => setTimeout(r, 8000));
    expect(closedAt).toBeUndefined();
    const second = await healthz(agent);
    expect(second.res.statusCode).toBe(200);
    expect(second.socket).toBe(first.socket);
    // The server says how long it keeps the connection, for clients that read it.
    expect(second.res.headers['keep-alive']).toBe('timeout=95');
  } finally {
    agent.destroy();
  }
});
