// `npm run demo`: a lab of simulated hypervisors on loopback, pre-saved in a
// separate demo profile (credentials in the keychain, certificates pinned),
// then the app: Electron when its binary is installed, else web mode.
// Ctrl+C stops everything.
//
// To add another server, append a LabMember to LAB below: its start() brings the
// peer up and says how to log in. Members start together; the first window opens
// once the quick ones are up, and the slow ones (joinsLater) appear when ready.
// Consoles work as in the tests: a real VNC server and a shell behind the simulators
// (lab-consoles.ts). Whatever cannot run on this machine is said at start, with why
// and the package to install; the app starts with the rest.

import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDraft } from '../../shared/contract';
import { toErrorInfo } from '../../shared/errors';
import type { HypervisorType } from '../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../electron/core/console/broker';
import { KeyringSecretStore } from '../../electron/core/secrets/keyring-secret-store';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { runWebMode } from '../../electron/web/web-mode';
import { findElectronBinary } from '../../electron/electron-binary.mjs';
import type { VncServer } from '../peers/vnc';
import { prepareLabConsoles, type LabConsoles } from './lab-consoles';
import { saveLabServer, trustLabServer } from './lab-profile';
import { dockerEngine, proxmoxCluster, vcsim, xapiPool } from './lab-members';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** CI and developers clone the repository beside shared/ */
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures');
const DEMO_USER = 'root';
/** new each run: the simulators listen on loopback, and their text consoles are shells on this machine */
const DEMO_PASSWORD = `demo-${randomBytes(4).toString('hex')}`;
const LOGIN = { username: DEMO_USER, password: DEMO_PASSWORD };
const BASE_PORT = Number(process.env.POLYVISOR_DEMO_PORT ?? 47_443);

export interface RunningPeer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** SHA-256 of the peer's self-signed certificate: pinned for the demo only */
  fingerprint256?: string;
  options?: ServerDraft['options'];
  /** the VNC server behind its graphical consoles, when one runs */
  screen?: VncServer;
  stop(): Promise<void>;
}

export interface LabMember {
  /** the name the server gets in the app */
  name: string;
  type: HypervisorType;
  /** `port` is a suggestion: a free fixed-ish port, or 0 when it was taken; `lab` has what stands behind consoles */
  start(port: number, lab: LabContext): Promise<RunningPeer>;
  /** why this member cannot run on this machine (it is then skipped with a note), or null */
  unavailable?: () => string | null;
  /** slow to start: the app does not wait for it (it joins the running app when ready); failing to start only skips it */
  joinsLater?: boolean;
}

export interface LabContext {
  consoles: LabConsoles;
}

const fixture = (name: string) => ({ fixturesDir: FIXTURES, fixture: name });

const LAB: LabMember[] = [
  xapiPool('XenServer pool (state4)', LOGIN, fixture('state4.xml')),
  xapiPool('XenServer Tampa pool (16+23)', LOGIN, fixture('tampa-poolof16and23-xapi-db.xml')),
  xapiPool('XenServer small VMs', LOGIN, fixture('small_vms.xml')),
  xapiPool('Generated pool (4 hosts, 60 VMs)', LOGIN, { generate: { hosts: 4, vms: 60, snapshots: 3, isoLibrary: true } }),
  proxmoxCluster('Proxmox VE cluster (recorded)', LOGIN),
  proxmoxCluster('Proxmox VE generated (3 nodes)', LOGIN, { nodes: 3, vms: 24, cts: 8 }),
  vcsim('VMware vCenter (vcsim)', 'vpx', LOGIN),
  vcsim('VMware ESXi (vcsim)', 'esx', LOGIN),
  dockerEngine('Docker engine (local dockerd)'),
];

async function main(): Promise<void> {
  const home = process.env.POLYVISOR_HOME || path.join(os.tmpdir(), 'polyvisor-demo');
  process.env.POLYVISOR_HOME = home;
  const { secrets, inMemory, why } = await chooseSecretStore();

  const peers: RunningPeer[] = [];
  let shuttingDown = false;
  let core: PolyvisorCore | undefined;
  console.log(`Starting the demo lab (fixtures from ${FIXTURES})…`);
  const labConsoles = prepareLabConsoles((line) => console.log(`  - ${line}`));
  const stopPeers = async () => {
    await Promise.allSettled(peers.map((p) => p.stop()));
    await labConsoles.stop();
  };
  try {
    if (!existsSync(FIXTURES) && LAB.some((m) => m.type === 'xenserver')) throw new Error(`The fixtures are missing: ${FIXTURES}`);
    const lab = startLab(LAB, { consoles: labConsoles }, peers, () => shuttingDown);
    const quick = await Promise.all(lab.filter((l) => !l.member.joinsLater).map(async (l) => ({ member: l.member, peer: (await l.peer)! })));

    const consoles = new BridgeConsoleBroker();
    core = await createAppCore(electronOrWeb(), { home, secrets, version: 'demo', console: consoles });
    await resetProfile(core);
    await saveAll(core, quick);
    const late = lab.filter((l) => l.member.joinsLater);

    console.log('');
    console.log(`Demo profile: ${home}   (POLYVISOR_HOME; the CLI works on it too: POLYVISOR_HOME=${home} npm run cli -- inventory)`);
    console.log(`Demo login:   ${DEMO_USER} / ${DEMO_PASSWORD}`);
    if (inMemory) console.log(`Note: the OS keychain is not available (${why}); the demo keeps the passwords in memory for this session only.`);

    const electron = findElectronBinary();
    if (electron.found) {
      await core.stop();
      core = undefined;
      if (inMemory) console.log('Electron will ask for the demo password (the keychain could not keep it).');
      const app = runElectron(electron.path, home);
      // the desktop app follows the profile's files: the slow members join it when they are ready,
      // saved and trusted by a core of their own, as the CLI would
      joinWhenReady(late, () => shuttingDown, async (member, peer) => {
        const writer = await createAppCore('cli', { home, secrets, version: 'demo' });
        try {
          await saveAndPin(writer, member, peer);
        } finally {
          await writer.stop();
        }
      });
      await app;
      shuttingDown = true;
      await stopPeers();
      return;
    }
    console.log(`\nNo Electron binary is installed (it cannot be downloaded on this machine) — starting web mode instead.`);
    const running = core;
    await running.start();
    const host = await runWebMode({
      core: running,
      onShutdown: async () => {
        shuttingDown = true;
        await running.stop();
        await stopPeers();
      },
    });
    consoles.allowOrigin(new URL(host.url).origin);
    joinWhenReady(late, () => shuttingDown, (member, peer) => saveAndPin(running, member, peer));
  } catch (e) {
    shuttingDown = true;
    await core?.stop().catch(() => undefined);
    await stopPeers();
    throw e;
  }
}

/** Saves each slow member once it is up (unless the demo is stopping by then). */
function joinWhenReady(late: Starting[], shuttingDown: () => boolean, join: (member: LabMember, peer: RunningPeer) => Promise<void>): void {
  for (const { member, peer } of late) {
    void peer
      .then(async (ready) => {
        if (!ready || shuttingDown()) return;
        await join(member, ready);
        console.log(`  ${member.name} joined the lab.`);
      })
      .catch((e: unknown) => console.warn(`  ! ${member.name}: ${toErrorInfo(e).message}`));
  }
}

interface Starting {
  member: LabMember;
  /** null: a slow member that could not start (a note was printed) */
  peer: Promise<RunningPeer | null>;
}

/** Starts every available member at once; a peer that comes up after shutdown began is stopped again. */
function startLab(members: LabMember[], context: LabContext, peers: RunningPeer[], shuttingDown: () => boolean): Starting[] {
  const out: Starting[] = [];
  for (const [i, member] of members.entries()) {
    const why = member.unavailable?.();
    if (why) {
      console.log(`  - ${member.name}: skipped, ${why}`);
      continue;
    }
    const peer = (async () => {
      const port = (await isPortFree(BASE_PORT + i)) ? BASE_PORT + i : 0;
      const running = await member.start(port, context);
      if (shuttingDown()) {
        await running.stop();
        return null;
      }
      peers.push(running);
      console.log(`  ${member.name.padEnd(36)} ${member.type} on ${running.options?.socketPath ?? `${running.host}:${running.port}`}`);
      return running;
    })().catch((e: unknown) => {
      if (!member.joinsLater) throw e;
      console.log(`  - ${member.name}: skipped, it did not start: ${toErrorInfo(e).message.split('\n')[0]}`);
      return null;
    });
    out.push({ member, peer });
  }
  return out;
}

/** Saves in LAB order (the tree keeps it), then connects all at once. */
async function saveAll(core: PolyvisorCore, joined: Array<{ member: LabMember; peer: RunningPeer }>): Promise<void> {
  const saved = [];
  for (const j of joined) saved.push({ ...j, id: await saveLabServer(core, j.member, j.peer) });
  await Promise.all(saved.map((s) => pin(core, s.member, s.peer, s.id)));
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
  await pin(core, member, peer, await saveLabServer(core, member, peer));
}

async function pin(core: PolyvisorCore, member: LabMember, peer: RunningPeer, id: string): Promise<void> {
  const view = await trustLabServer(core, peer, id);
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
