// The hostile proxy itself: it forwards what no rule matches and misbehaves exactly where told.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileProxy, type HostileProxy } from '../../peers/hostile-proxy';

let upstream: http.Server;
let proxy: HostileProxy;

beforeAll(async () => {
  upstream = http.createServer((req, res) => res.end(`upstream ${req.method} ${req.url}`));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const port = (upstream.address() as { port: number }).port;
  proxy = await startHostileProxy({ upstream: { host: '127.0.0.1', port, tls: false }, listen: { tls: false } });
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((r) => upstream.close(() => r()));
});

const get = (path: string) => fetch(`http://127.0.0.1:${proxy.port}${path}`);

describe('hostile proxy', () => {
  it('forwards requests no rule matches', async () => {
    proxy.setRules([]);
    expect(await (await get('/a')).text()).toBe('upstream GET /a');
  });

  it('answers a matching request with an oversize body, once when told', async () => {
    proxy.setRules([{ match: (r) => r.url === '/big', behaviour: { kind: 'oversize', bytes: 3 * 1024 * 1024, contentType: 'application/json' }, times: 1 }]);
    const body = await (await get('/big')).arrayBuffer();
    expect(body.byteLength).toBe(3 * 1024 * 1024);
    expect(await (await get('/big')).text()).toBe('upstream GET /big');
    expect(proxy.hits()).toEqual([1]);
  });

  it('cuts the real answer after some bytes', async () => {
    proxy.setRules([{ match: () => true, behaviour: { kind: 'reset', afterBytes: 5 } }]);
    await expect(get('/x').then((r) => r.text())).rejects.toThrow();
  });
});
