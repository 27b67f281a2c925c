// Polyvisor's proxy policy: providers never use a proxy from the environment
// (management networks are direct; a proxy would see passwords and tickets). With
// HTTPS_PROXY and friends pointing at a recording proxy, the Proxmox provider still
// logs in, loads, polls and opens a console directly: the proxy sees nothing.

import https from 'node:https';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { startRecordingProxy } from '../../peers/hostile-proxy';
import { Mirror, providerFor } from './helpers';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'];

describe('Proxmox and proxies from the environment', () => {
  let sim: ProxmoxSimulator;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 50 });
    sim.consoles.targets = { shell: '/bin/sh' };
    proxy = await startRecordingProxy();
    for (const name of [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES]) saved.set(name, process.env[name]);
    for (const name of PROXY_VARIABLES) process.env[name] = proxy.url;
    for (const name of NO_PROXY_VARIABLES) delete process.env[name];
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await proxy?.close();
    await sim?.stop();
  });

  it('the environment really names the proxy: a client that honours it goes there', async () => {
    // shows the test can fail: plain axios (what the provider used before) takes HTTPS_PROXY
    const plain = await axios
      .get(`https://${sim.host}:${sim.port}/api2/json/version`, { httpsAgent: new https.Agent({ ca: sim.certPem }), validateStatus: () => true })
      .then(
        (r) => r.status,
        (e: unknown) => String(e),
      );
    expect(proxy.seen).toEqual([`CONNECT ${sim.host}:${sim.port}`]);
    expect(plain).not.toBe(401); // the proxy refused; the simulator would have said 401
    proxy.seen.length = 0;
  });

  it('logs in, loads, polls, acts and opens a console directly', async () => {
    const provider = providerFor(sim, {}, { pollIntervalMs: 100 });
    const mirror = new Mirror(provider);
    try {
      await provider.connect();
      expect(mirror.get('vm', 'qemu/100')).toBeDefined();
      sim.state.guest(102)!.name = 'seen-directly';
      await mirror.until(() => mirror.get('vm', 'qemu/102')?.name === 'seen-directly', 'a poll to show the rename');
      const term = await provider.openConsole!({ nativeRef: 'lxc/106', kind: 'container' }, 'text');
      term.close();
      expect(sim.consoles.outcomes.at(-1)).toMatch(/^101 term/);
      expect(proxy.seen).toEqual([]);
    } finally {
      await provider.disconnect();
    }
  });
});
