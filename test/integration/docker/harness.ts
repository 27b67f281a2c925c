// Shared pieces of the Docker integration tests: a provider on the peer's socket,
// the inventory it has emitted (applied from its deltas), a task reporter like the core's.

import type Dockerode from 'dockerode';
import type { InventoryNode } from '../../../shared/model';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import type { ProviderConfig, TaskReporter } from '../../../electron/core/providers/provider';
import { ProviderMirror, waitFor } from '../provider-mirror';
import { inlineChildren } from '../../fixtures/child-tasks';

export { waitFor };

export const SERVER_ID = 'srv-docker';

/** Runs until SIGTERM, then exits at once (busybox sleep as PID 1 would ignore it). */
export const POLITE_CMD = ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"];

/** Waits until a (re)started POLITE_CMD container has set its trap: its `sleep` runs only after it. */
export async function untilPolite(docker: Dockerode, id: string): Promise<void> {
  await waitFor(async () => {
    const top = await docker.getContainer(id).top();
    return top.Processes?.some((p: string[]) => p.some((field) => field.includes('sleep 100000')));
  }, `container ${id.slice(0, 12)} to set its SIGTERM trap`, 30_000);
}

export function providerFor(socketPath: string, extra: Partial<ProviderConfig> = {}): DockerProvider {
  return dockerProviderFactory.create({
    serverId: SERVER_ID,
    host: '',
    port: 2376,
    username: '',
    options: { socketPath },
    tls: {},
    ...extra,
  }) as DockerProvider;
}

/** The tree as the provider's deltas describe it. */
export class Mirror extends ProviderMirror {
  container(nativeRef: string): InventoryNode | undefined {
    return this.nodes.get(`${SERVER_ID}:container:${nativeRef}`);
  }
}

export function taskReporter(): TaskReporter & { fractions: number[] } {
  const controller = new AbortController();
  const fractions: number[] = [];
  return {
    fractions,
    progress: (f) => fractions.push(f),
    setCancellable: () => undefined,
    signal: controller.signal,
    child: inlineChildren(controller.signal),
  };
}

export async function runContainer(
  docker: Dockerode,
  name: string,
  opts: { labels?: Record<string, string>; binds?: string[]; start?: boolean; env?: string[]; restart?: string } = {},
): Promise<string> {
  const c = await docker.createContainer({
    name,
    Image: 'local/busybox:latest',
    Cmd: POLITE_CMD,
    Env: opts.env,
    Labels: opts.labels,
    HostConfig: { NetworkMode: 'none', Binds: opts.binds, RestartPolicy: { Name: opts.restart ?? 'on-failure', MaximumRetryCount: opts.restart ? 0 : 2 } },
  });
  if (opts.start !== false) await c.start();
  return c.id;
}

export async function execText(docker: Dockerode, id: string, cmd: string[]): Promise<string> {
  const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // multiplexed: 8-byte headers
  const buf = Buffer.concat(chunks);
  const parts: Buffer[] = [];
  for (let off = 0; off + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(off + 4);
    parts.push(buf.subarray(off + 8, off + 8 + len));
    off += 8 + len;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A missing dockerd skips the suite, or fails it under POLYVISOR_REQUIRE_PEERS=1 (test/peers/require-peer.ts). */
export { requirePeer as skipWithoutDockerd } from '../../peers/require-peer';
