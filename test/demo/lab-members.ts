// The demo lab's non-XAPI members: Proxmox VE simulators (in-process), govmomi's
// vcsim (when Go and govmomi are installed) and a real Docker engine (when this
// machine can run dockerd). Each says why it cannot run instead of failing.

import Dockerode from 'dockerode';
import type { LabMember, RunningPeer } from './demo';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd } from '../peers/dockerd';
import { startVcsim, vcsimAvailable } from '../peers/vcsim';
import { startProxmoxSimulator } from '../sim/proxmox/index';

export interface DemoLogin {
  username: string;
  password: string;
}

/** A Proxmox VE cluster: the one seeded from recorded responses, or a generated one. */
export function proxmoxCluster(name: string, login: DemoLogin, generate?: { nodes: number; vms: number; cts: number }): LabMember {
  return {
    name,
    type: 'proxmox',
    async start(port) {
      const sim = await startProxmoxSimulator({ port, user: `${login.username}@pam`, password: login.password, generate });
      return {
        host: sim.host,
        port: sim.port,
        username: login.username,
        password: login.password,
        fingerprint256: sim.fingerprint256,
        options: { realm: 'pam' },
        stop: () => sim.stop(),
      };
    },
  };
}

/** vcsim as a vCenter (datacenter, cluster, hosts) or a standalone ESXi host; slow to build the first time. */
export function vcsim(name: string, model: 'vpx' | 'esx', login: DemoLogin): LabMember {
  return {
    name,
    type: 'vsphere',
    joinsLater: true,
    unavailable: () => (vcsimAvailable() ? null : 'needs golang-go and golang-github-vmware-govmomi-dev (test/peers/install-debian-packages.sh)'),
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
    unavailable: dockerdUnavailableReason,
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
  const worker = await service('worker');
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
