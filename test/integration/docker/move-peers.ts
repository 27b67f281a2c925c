// Two real engines for the container-move tests: A knows an extra runtime ("alt") that B
// lacks, so a container using it is refused by B's own create, midway through a move.
// Both have a user network "movenet"; only A has "only-on-a". B starts without any image.

import type Dockerode from 'dockerode';
import { ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { POLITE_CMD } from './harness';

export const ALT_RUNTIME = 'alt';

export async function startMovePeers(): Promise<{ a: DockerdPeer; b: DockerdPeer }> {
  const [a, b] = await Promise.all([startDockerd({ extraArgs: ['--add-runtime', `${ALT_RUNTIME}=runc`] }), startDockerd()]);
  await ensureBusyboxImage(a.docker);
  await a.docker.createNetwork({ Name: 'movenet' });
  await a.docker.createNetwork({ Name: 'only-on-a' });
  await b.docker.createNetwork({ Name: 'movenet' });
  return { a, b };
}

/** A running container on movenet (+ only-on-a) with a published port, a labelled named volume and a file in it. */
export async function containerWithVolume(
  docker: Dockerode,
  name: string,
  volume: string,
  extra: { runtime?: string; start?: boolean } = {},
): Promise<string> {
  await docker.createVolume({ Name: volume, Labels: { owner: name } });
  const c = await docker.createContainer({
    name,
    Image: 'local/busybox:latest',
    Cmd: POLITE_CMD,
    Env: ['GREETING=hello', 'MODE=move-test'],
    Labels: { app: name, tier: 'backend' },
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: {
      NetworkMode: 'movenet',
      Binds: [`${volume}:/data`],
      PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      ...(extra.runtime ? { Runtime: extra.runtime } : {}),
    },
  });
  await docker.getNetwork('only-on-a').connect({ Container: c.id });
  await c.start();
  return c.id;
}

/** Everything an engine holds that a move could leave behind: container names, volume names, image ids and tags. */
export async function engineContents(docker: Dockerode): Promise<{ containers: string[]; volumes: string[]; images: string[] }> {
  const containers = (await docker.listContainers({ all: true })).map((c) => `${c.Names[0]} ${c.Id}`).sort();
  const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort();
  const images = (await docker.listImages({ all: true })).map((i) => `${i.Id} ${(i.RepoTags ?? []).join(',')}`).sort();
  return { containers, volumes, images };
}
