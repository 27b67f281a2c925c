// The fleet's real peers: vcsim instances (govmomi's simulator, one Go process each) and one
// real dockerd holding real containers (busybox; a few of them running).
import { ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../test/peers/dockerd';
import { startVcsim, type Vcsim } from '../../test/peers/vcsim';
import type { VcsimSpec } from './plan';

/** Every `RUNNING_EVERY`th container runs; the rest are created (a running one is a process each). */
const RUNNING_EVERY = 10;

export async function startVcsims(specs: VcsimSpec[]): Promise<Array<{ spec: VcsimSpec; sim: Vcsim }>> {
  const out: Array<{ spec: VcsimSpec; sim: Vcsim }> = [];
  try {
    for (const spec of specs) out.push({ spec, sim: await startVcsim({ model: 'vpx', vms: spec.vmsPerPool }) });
  } catch (err) {
    await Promise.all(out.map((v) => v.sim.stop()));
    throw err;
  }
  return out;
}

export async function startDockerWithContainers(count: number): Promise<DockerdPeer> {
  const peer = await startDockerd();
  try {
    const image = await ensureBusyboxImage(peer.docker);
    for (let i = 0; i < count; i++) {
      const c = await peer.docker.createContainer({
        name: `fleet-${String(i).padStart(4, '0')}`,
        Image: image,
        Cmd: ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"],
        Labels: { 'com.docker.compose.project': `fleet-${i % 10}`, 'com.docker.compose.service': `s${i}` },
        HostConfig: { NetworkMode: 'none' },
      });
      if (i % RUNNING_EVERY === 0) await c.start();
    }
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return peer;
}
