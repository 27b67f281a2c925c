// The demo lab's members: XAPI simulators (real pool databases or generated pools) and
// Proxmox VE simulators, in-process, each with a real VNC server and a shell behind its
// consoles (lab-consoles.ts); govmomi's vcsim (when Go and govmomi are installed) and a
// real Docker engine (when this machine can run dockerd). Each says why it cannot run
// instead of failing.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { LabMember, RunningPeer } from './demo';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd } from '../peers/dockerd';
import { findListed, problemWith } from '../peers/programs';
import { ptyShellStream } from '../peers/pty-shell';
import type { VncServer } from '../peers/vnc';
import { startVcsim, vcsimUnavailableReason } from '../peers/vcsim';
import { startProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator } from '../sim/xapi/index';
import { installConsoleRelay } from '../sim/xapi/console-relay';

export interface DemoLogin {
  username: string;
  password: string;
}

/**
 * A XenServer pool: a real pool database (`fixture`, from `fixturesDir`/xapi-db) or a generated one.
 * Graphical consoles lead to the pool's own Xvnc, text (vt100) consoles to a shell on a pty.
 */
export function xapiPool(
  name: string,
  login: DemoLogin,
  source: { fixturesDir: string; fixture: string } | { generate: { hosts: number; vms: number; snapshots: number; isoLibrary?: boolean } },
): LabMember {
  return {
    name,
    type: 'xenserver',
    async start(port, lab) {
      const [sim, screen] = await Promise.all([
        startXapiSimulator({
          port,
          user: login.username,
          password: login.password,
          poolName: name,
          ...('fixture' in source ? { db: path.join(source.fixturesDir, 'xapi-db', source.fixture) } : { generate: source.generate }),
        }),
        lab.consoles.screen(name),
      ]);
      const shell = lab.consoles.shell;
      installConsoleRelay(sim, {
        rfb: screen ? { host: screen.host, port: screen.port } : undefined,
        vt100: shell ? { open: () => ptyShellStream(shell) } : undefined,
      });
      return simulatorPeer(sim, login, screen);
    },
  };
}

/**
 * A Proxmox VE cluster: the one seeded from recorded responses, or a generated one. Its VNC
 * server asks for a password, as qemu's does; the simulator hands it out with each vncproxy.
 */
export function proxmoxCluster(name: string, login: DemoLogin, generate?: { nodes: number; vms: number; cts: number }): LabMember {
  return {
    name,
    type: 'proxmox',
    async start(port, lab) {
      // classic VNC authentication uses the first 8 characters
      const vncPassword = randomBytes(6).toString('base64url');
      const [sim, screen] = await Promise.all([
        startProxmoxSimulator({ port, user: `${login.username}@pam`, password: login.password, generate }),
        lab.consoles.screen(name, { password: vncPassword }),
      ]);
      sim.consoles.targets = {
        ...(screen ? { vnc: { host: screen.host, port: screen.port, password: vncPassword } } : {}),
        ...(lab.consoles.shell ? { shell: lab.consoles.shell } : {}),
      };
      return simulatorPeer(sim, login, screen, { realm: 'pam' });
    },
  };
}

/** An in-process simulator as the lab sees it; its screen stops with it. */
function simulatorPeer(
  sim: { host: string; port: number; fingerprint256: string; stop(): Promise<void> },
  login: DemoLogin,
  screen: VncServer | null,
  options?: RunningPeer['options'],
): RunningPeer {
  return {
    host: sim.host,
    port: sim.port,
    username: login.username,
    password: login.password,
    fingerprint256: sim.fingerprint256,
    ...(options ? { options } : {}),
    ...(screen ? { screen } : {}),
    stop: async () => {
      await sim.stop();
      await screen?.stop();
    },
  };
}

/** vcsim as a vCenter (datacenter, cluster, hosts) or a standalone ESXi host; slow to build the first time. */
export function vcsim(name: string, model: 'vpx' | 'esx', login: DemoLogin): LabMember {
  return {
    name,
    type: 'vsphere',
    joinsLater: true,
    unavailable: vcsimUnavailableReason,
    async start(port) {
      const sim = await startVcsim({ model, port, username: login.username, password: login.password });
      return {
        host: sim.host,
        port: sim.port,
        username: sim.username,
        password: sim.password,
        fingerprint256: sim.fingerprint256,
        stop: () => sim.stop(),
      };
    },
  };
}

const PROJECT = 'com.docker.compose.project';
const SERVICE = 'com.docker.compose.service';

/** A private dockerd (unix socket in a temporary folder) with a small compose-labelled project and a loose container. */
export function dockerEngine(name: string): LabMember {
  return {
    name,
    type: 'docker',
    joinsLater: true,
    // "needs root" said for the demo, not for the tests
    unavailable: () => (problemWith(findListed('dockerd')!)?.kind === 'needs-root' ? 'dockerd needs root: start the demo as root (sudo npm run demo)' : dockerdUnavailableReason()),
    async start(): Promise<RunningPeer> {
      const peer = await startDockerd();
      try {
        await populate(peer.docker);
      } catch (e) {
        await peer.stop();
        throw e;
      }
      return { host: 'localhost', port: 2376, username: '', password: '', options: { socketPath: peer.socketPath }, stop: () => peer.stop() };
    },
  };
}

async function populate(docker: Dockerode): Promise<void> {
  const image = await ensureBusyboxImage(docker);
  await docker.createVolume({ Name: 'shop_data', Labels: { [PROJECT]: 'shop' } });
  const service = (svc: string, extra: Partial<Dockerode.ContainerCreateOptions> = {}) =>
    docker.createContainer({
      name: `shop-${svc}-1`,
      Image: image,
      Cmd: ['sleep', '86400'],
      Labels: { [PROJECT]: 'shop', [SERVICE]: svc, 'com.docker.compose.project.working_dir': '/srv/shop' },
      ...extra,
    });
  const web = await service('web', { Cmd: ['httpd', '-f', '-p', '8080', '-h', '/srv'], WorkingDir: '/srv' });
  const db = await service('db', { HostConfig: { Mounts: [{ Type: 'volume', Source: 'shop_data', Target: '/var/lib/data' }] } });
  // a worker that logs, on stdout and (every third job) on stderr, so the Logs tab has something to show
  const worker = await service('worker', {
    Cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "job $i done"; [ $((i % 3)) -eq 0 ] && echo "job $i took longer than 2 s" >&2; sleep 2; done'],
  });
  await docker.createContainer({ name: 'toolbox', Image: image, Cmd: ['sleep', '86400'] });
  await Promise.all([web.start(), db.start(), worker.start()]);
  // some data in the volume, so that a snapshot with volumes has something to keep
  const exec = await db.exec({ Cmd: ['sh', '-c', 'echo "orders: 42" > /var/lib/data/orders.txt'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.resume();
  });
}
