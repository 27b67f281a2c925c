// The web-mode host against a real core (in-memory secret store, temporary
// profile): token and Origin checks on the WebSocket upgrade, the contract
// round-trip and its errors, event fan-out, static files with the CSP, loopback only.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppInfo, ServerView } from '../../shared/contract';
import type { ServerMessage } from '../../shared/wire';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { boundAccount } from '../../electron/core/services/credentials';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { CONTENT_SECURITY_POLICY } from '../../electron/web/csp';
import { startWebHost, type WebHost } from '../../electron/web/host';

let home: string;
let staticDir: string;
let core: PolyvisorCore;
let host: WebHost;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-webhost-'));
  staticDir = path.join(home, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Polyvisor</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(home, 'secret.txt'), 'outside the static dir');
  core = await createAppCore('web', { home: path.join(home, 'profile'), secrets, version: '9.9.9' });
  await core.start();
  host = await startWebHost({ core, staticDir });
});

afterAll(async () => {
  await host?.close();
  await core?.stop();
  rmSync(home, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${host.port}`;
const apiUrl = (token: string | null = host.token) => `ws://127.0.0.1:${host.port}/api${token === null ? '' : `?token=${token}`}`;

/** Opens a socket; resolves with it, or with the HTTP status that refused the upgrade. */
function open(url: string, headers: Record<string, string> = { origin: origin() }): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
    });
    ws.once('error', reject);
  });
}

class Client {
  private nextId = 1;
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async connect(): Promise<Client> {
    const { ws, status } = await open(apiUrl());
    if (!ws) throw new Error(`upgrade refused with ${status}`);
    return new Client(ws);
  }
  async call(channel: string, ...args: unknown[]) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type: 'invoke', id, channel, args }));
    const msg = await this.waitFor((m) => m.type === 'reply' && m.id === id);
    return (msg as Extract<ServerMessage, { type: 'reply' }>).reply;
  }
  async waitFor(match: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  close() {
    this.ws.close();
  }
}

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host: access control', () => {
  it('gives a loopback URL carrying a random 32-byte token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses the upgrade without the token or with a wrong one', async () => {
    expect((await open(apiUrl(null))).status).toBe(401);
    expect((await open(apiUrl(''))).status).toBe(401);
    expect((await open(apiUrl('0'.repeat(64)))).status).toBe(401);
    expect((await open(apiUrl(host.token.slice(0, 63)))).status).toBe(401);
  });

  it('refuses a foreign or missing Origin even with the right token', async () => {
    expect((await open(apiUrl(), { origin: 'http://evil.example' })).status).toBe(403);
    expect((await open(apiUrl(), { origin: `http://localhost:${host.port}` })).status).toBe(403);
    expect((await open(apiUrl(), { origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await open(apiUrl(), {})).status).toBe(403);
  });

  it('refuses other paths and a rebinding Host header', async () => {
    expect((await open(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).status).toBe(404);
    expect((await open(apiUrl(), { origin: origin(), host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(421);
  });

  it('accepts the right token from its own origin', async () => {
    const { ws } = await open(apiUrl());
    expect(ws?.readyState).toBe(WebSocket.OPEN);
    ws!.close();
  });

  it('listens on 127.0.0.1 only and refuses to bind elsewhere', async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
      .map((a) => a.address);
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: host.port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `connecting via ${address}`).not.toBe('connected');
    }
    await expect(startWebHost({ core, staticDir, host: '0.0.0.0' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});

describe('web host: the contract over WebSocket', () => {
  it('round-trips app:info, servers:add and servers:list', async () => {
    const client = await Client.connect();
    const info = await client.call('app:info');
    expect(info).toMatchObject({ ok: true, value: { version: '9.9.9', mode: 'web' } });
    expect((info as { value: AppInfo }).value.providers.map((p) => p.type)).toContain('xenserver');

    const added = await client.call('servers:add', { type: 'xenserver', name: 'lab', host: '127.0.0.1', port: 1, username: 'root', password: 'hunter2-secret' });
    expect(added.ok).toBe(true);
    const view = (added as { value: ServerView }).value;
    expect(view).toMatchObject({ name: 'lab', host: '127.0.0.1', port: 1, username: 'root', type: 'xenserver' });

    const list = await client.call('servers:list');
    expect((list as { value: ServerView[] }).value.map((s) => s.id)).toContain(view.id);
    // the password went to the secret store and never comes back over the wire
    expect(await secrets.get(boundAccount(view))).toBe('hunter2-secret');
    expect(JSON.stringify(client.messages)).not.toContain('hunter2-secret');
    client.close();
  });

  it('returns failures as ErrorInfo', async () => {
    const client = await Client.connect();
    expect(await client.call('servers:remove', 'no-such-server')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await client.call('servers:add', { type: 'mainframe', host: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await client.call('fs:readFile', '/etc/passwd');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('fs:readFile') } });
    const error = (unknown as unknown as { error: Record<string, unknown> }).error;
    expect(error).not.toHaveProperty('stack');
    client.close();
  });

  it('survives malformed messages', async () => {
    const client = await Client.connect();
    client.ws.send('not json');
    client.ws.send(JSON.stringify({ type: 'invoke', id: 77, channel: 'app:info', args: 'nope' }));
    const bad = await client.waitFor((m) => m.type === 'reply' && m.id === 77);
    expect(bad).toMatchObject({ reply: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(await client.call('servers:list')).toMatchObject({ ok: true });
    client.close();
  });

  it('forwards core events to every connected client', async () => {
    const a = await Client.connect();
    const b = await Client.connect();
    const reply = await a.call('servers:add', { type: 'xenserver', name: 'events', host: '127.0.0.2', port: 1, username: 'root' });
    const id = (reply as { value: ServerView }).value.id;
    for (const client of [a, b]) {
      const event = await client.waitFor((m) => m.type === 'event' && m.event === 'server:changed' && (m.payload as ServerView).id === id);
      expect(event).toMatchObject({ type: 'event', event: 'server:changed', payload: { name: 'events' } });
    }
    await a.call('settings:set', { theme: 'dark' });
    const changed = await b.waitFor((m) => m.type === 'event' && m.event === 'settings:changed');
    expect(changed).toMatchObject({ payload: { theme: 'dark' } });
    await a.call('servers:remove', id);
    await b.waitFor((m) => m.type === 'event' && m.event === 'server:removed' && (m.payload as { id: string }).id === id);
    a.close();
    b.close();
  });
});

describe('web host: static files', () => {
  it('serves the page and assets with content types and the CSP', async () => {
    const page = await get('/?token=whatever');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<title>Polyvisor</title>');

    const js = await get('/assets/app.js');
    expect(js).toMatchObject({ status: 200, body: 'console.log("app");' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');

    const head = await get('/assets/app.js', {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(String('console.log("app");'.length));
  });

  it('falls back to index.html for app routes, 404 for missing files', async () => {
    const route = await get('/servers/abc/snapshots');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Polyvisor</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/', {}, 'POST')).status).toBe(405);
  });

  it('never serves files outside the static directory', async () => {
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await get(p);
      expect(res.body, p).not.toContain('outside the static dir');
    }
  });
});
