// A real image registry for Docker pull tests: Debian's docker-registry (the CNCF
// distribution registry) on 127.0.0.1 and a free port, storing in a temporary folder.
// Engines treat registries on 127.0.0.0/8 as insecure by default, so plain HTTP works
// without any engine flag. Nothing else is reachable here: this is the only registry.

import { spawn } from 'node:child_process';
import type Dockerode from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dockerCli } from './docker-cli';
import { freePort } from './docker-tls';
import { unavailableReason } from './programs';

export interface RegistryPeer {
  /** host:port, the prefix of the registry's image references */
  address: string;
  stop(): Promise<void>;
}

export function registryUnavailableReason(): string | null {
  return unavailableReason(['docker-registry']);
}

export async function startRegistry(): Promise<RegistryPeer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pv-registry-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${address}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `docker-registry exited (code ${code}, signal ${signal})`;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`${exited} before serving: ${stderr}`);
    }
    try {
      const answer = await fetch(`http://${address}/v2/`);
      if (answer.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not serve within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { address, stop };
}

/**
 * An image of its own in the registry and absent from the engine (what a pull fetches):
 * `base` plus a layer of `bytes` random bytes (random data does not compress, so the
 * layer is that big on the wire too), pushed as `<registry>/<repo>:1` and removed locally.
 */
export async function pushRandomImage(peer: { docker: Dockerode; socketPath: string }, registry: RegistryPeer, repo: string, bytes: number, base: string): Promise<string> {
  const ref = `${registry.address}/${repo}:1`;
  const maker = await peer.docker.createContainer({ Image: base, Cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /payload.bin`], HostConfig: { NetworkMode: 'none' } });
  await maker.start();
  await maker.wait();
  await maker.commit({ repo: `${registry.address}/${repo}`, tag: '1' });
  await maker.remove();
  await dockerCli(peer.socketPath, ['push', ref]);
  await dockerCli(peer.socketPath, ['image', 'rm', ref]);
  return ref;
}
