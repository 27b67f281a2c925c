// `npm run demo`: a lab of simulated hypervisors on loopback, pre-saved in a
// separate demo profile (credentials in the keychain, certificates pinned),
// then the app: Electron when its binary is installed, else web mode.
// Ctrl+C stops everything.
//
// To add another kind of server (Proxmox, Docker, vcsim), append a LabMember
// to LAB below: its start() brings the peer up and says how to log in.

import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDraft } from '../../shared/contract';
import { toErrorInfo } from '../../shared/errors';
import type { HypervisorType } from '../../shared/model';
import { createCore, type PolyvisorCore } from '../../electron/core/core';
import { BridgeConsoleBroker } from '../../electron/core/console/broker';
import { KeyringSecretStore } from '../../electron/core/secrets/keyring-secret-store';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { runWebMode } from '../../electron/core/web/web-mode';
import { findElectronBinary } from '../../electron/electron-binary.mjs';
import { startXapiSimulator } from '../sim/xapi/index';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** CI and developers clone the repository beside shared/ */
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures');
const DEMO_USER = 'root';
const DEMO_PASSWORD = 'polyvisor-demo';
const BASE_PORT = Number(process.env.POLYVISOR_DEMO_PORT ?? 47_443);

export interface RunningPeer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** SHA-256 of the peer's self-signed certificate: pinned for the demo only */
  fingerprint256?: string;
  options?: ServerDraft['options'];
  stop(): Promise<void>;
}

export interface LabMember {
  /** the name the server gets in the app */
  name: string;
  type: HypervisorType;
  /** `port` is a suggestion: a free fixed-ish port, or 0 when it was taken */
  start(port: number): Promise<RunningPeer>;
}

function xapiPool(name: string, source: { fixture: string } | { generate: { hosts: number; vms: number; snapshots: number } }): LabMember {
  return {
    name,
    type: 'xenserver',
    async start(port) {
      const sim = await startXapiSimulator({
        port,
        user: DEMO_USER,
        password: DEMO_PASSWORD,
        poolName: name,
        ...('fixture' in source ? { db: path.join(FIXTURES, 'xapi-db', source.fixture) } : { generate: source.generate }),
      });
      return { host: sim.host, port: sim.port, username: DEMO_USER, password: DEMO_PASSWORD, fingerprint256: sim.fingerprint256, stop: () => sim.stop() };
    },
  };
}

const LAB: LabMember[] = [
  xapiPool('XenServer pool (state4)', { fixture: 'state4.xml' }),
  xapiPool('XenServer Tampa pool (16+23)', { fixture: 'tampa-poolof16and23-xapi-db.xml' }),
  xapiPool('XenServer small VMs', { fixture: 'small_vms.xml' }),
  xapiPool('Generated pool (4 hosts, 60 VMs)', { generate: { hosts: 4, vms: 60, snapshots: 3 } }),
  // Proxmox VE, Docker and vcsim members go here once their peers have start helpers.
];

async function main(): Promise<void> {
  const home = process.env.POLYVISOR_HOME || path.join(os.tmpdir(), 'polyvisor-demo');
  process.env.POLYVISOR_HOME = home;
  const { secrets, inMemory, why } = await chooseSecretStore();

  const peers: RunningPeer[] = [];
  let core: PolyvisorCore | undefined;
  const stopPeers = async () => {
    await Promise.allSettled(peers.map((p) => p.stop()));
  };
  try {
    console.log(`Starting the demo lab (fixtures from ${FIXTURES})…`);
    for (const [i, member] of LAB.entries()) {
      if (member.type === 'xenserver' && !existsSync(FIXTURES)) throw new Error(`The fixtures are missing: ${FIXTURES}`);
      const peer = await member.start((await isPortFree(BASE_PORT + i)) ? BASE_PORT + i : 0);
      peers.push(peer);
      console.log(`  ${member.name.padEnd(36)} ${member.type} on ${peer.host}:${peer.port}`);
    }

    const consoles = new BridgeConsoleBroker();
    core = await createCore({ home, secrets, mode: electronOrWeb(), version: 'demo', console: consoles });
    await resetProfile(core);
    for (const [i, member] of LAB.entries()) await saveAndPin(core, member, peers[i]);

    console.log('');
    console.log(`Demo profile: ${home}   (POLYVISOR_HOME; the CLI works on it too: POLYVISOR_HOME=${home} npm run cli -- inventory)`);
    console.log(`Demo login:   ${DEMO_USER} / ${DEMO_PASSWORD}`);
    if (inMemory) console.log(`Note: the OS keychain is not available (${why}); the demo keeps the passwords in memory for this session only.`);

    const electron = findElectronBinary();
    if (electron.found) {
      await core.stop();
      core = undefined;
      if (inMemory) console.log('Electron will ask for the demo password (the keychain could not keep it).');
      await runElectron(electron.path, home);
      await stopPeers();
      return;
    }
    console.log(`\nNo Electron binary is installed (it cannot be downloaded on this machine) — starting web mode instead.`);
    const running = core;
    await running.start();
    const host = await runWebMode({
      core: running,
      onShutdown: async () => {
        await running.stop();
        await stopPeers();
      },
    });
    consoles.allowOrigin(new URL(host.url).origin);
  } catch (e) {
    await core?.stop().catch(() => undefined);
    await stopPeers();
    throw e;
  }
}

function electronOrWeb(): 'electron' | 'web' {
  return findElectronBinary().found ? 'electron' : 'web';
}

async function chooseSecretStore(): Promise<{ secrets: SecretStore; inMemory: boolean; why?: string }> {
  const keyring = new KeyringSecretStore();
  const status = await keyring.available();
  if (status.available) return { secrets: keyring, inMemory: false };
  return { secrets: new MemorySecretStore(), inMemory: true, why: status.message };
}

/** The demo profile is rebuilt on every run: simulators get new certificates each time. */
async function resetProfile(core: PolyvisorCore): Promise<void> {
  for (const server of await core.invoke('servers:list')) {
    await core.invoke('certs:forget', server.id).catch(() => undefined);
    await core.invoke('servers:remove', server.id);
  }
}

async function saveAndPin(core: PolyvisorCore, member: LabMember, peer: RunningPeer): Promise<void> {
  const server = await core.invoke('servers:add', {
    type: member.type,
    name: member.name,
    host: peer.host,
    port: peer.port,
    username: peer.username,
    password: peer.password,
    rememberPassword: true,
    autoConnect: true,
    options: peer.options,
  });
  let view = await core.invoke('servers:connect', server.id);
  // Demo only: trust the certificate the simulator says it has, and nothing else.
  if (view.error?.code === 'CERT_UNTRUSTED' && peer.fingerprint256) view = await core.invoke('certs:accept', server.id, peer.fingerprint256);
  if (view.state !== 'connected') {
    const error = view.error ?? { code: 'CONNECTION_FAILED', message: view.state };
    console.warn(`  ! ${member.name}: ${error.code}: ${error.message}`);
  }
}

function runElectron(binary: string, home: string): Promise<void> {
  console.log('Starting the Polyvisor desktop app…');
  const child = spawn(binary, [path.join(repoRoot, 'dist-electron', 'main.js')], { stdio: 'inherit', env: { ...process.env, POLYVISOR_HOME: home } });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

main().catch((e) => {
  console.error(`demo: ${toErrorInfo(e).message}`);
  process.exit(1);
});
