// The configuration a Docker clone gets from its snapshot: new name and volumes,
// nothing that would collide with the original on a network, out of compose's project.

import { describe, expect, it } from 'vitest';
import { cloneConfig, namedVolumes } from '../../electron/core/providers/docker/snapshot-clone';
import type { RecreateConfig } from '../../electron/core/providers/docker/container-config';

const original: RecreateConfig = {
  name: 'db',
  originalImage: 'postgres:16',
  config: { Env: ['A=1'], MacAddress: '02:42:ac:11:00:02', Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', team: 'data' } },
  hostConfig: {
    NetworkMode: 'shop_default',
    Binds: ['pgdata:/var/lib/postgresql/data', '/srv/conf:/etc/conf:ro', 'C:\\data:/win'],
    Mounts: [
      { Type: 'volume', Source: 'pgwal', Target: '/wal' },
      { Type: 'bind', Source: '/tmp', Target: '/tmp' },
    ],
  },
  networks: { shop_default: { Aliases: ['db', 'postgres'], IPAMConfig: { IPv4Address: '172.20.0.5' }, Links: ['cache:cache'], DriverOpts: { mtu: '1400' } } },
};

describe('Docker clone configuration', () => {
  it('finds the named volumes, not host paths', () => {
    expect(namedVolumes(original.hostConfig)).toEqual(['pgdata', 'pgwal']);
  });

  it('mounts the clone’s own volumes and keeps bind mounts', () => {
    const rc = cloneConfig(original, 'db-copy', new Map([['pgdata', 'db-copy-pgdata'], ['pgwal', 'db-copy-pgwal']]));
    expect(rc.name).toBe('db-copy');
    expect(rc.hostConfig.Binds).toEqual(['db-copy-pgdata:/var/lib/postgresql/data', '/srv/conf:/etc/conf:ro', 'C:\\data:/win']);
    expect(rc.hostConfig.Mounts).toEqual([
      { Type: 'volume', Source: 'db-copy-pgwal', Target: '/wal' },
      { Type: 'bind', Source: '/tmp', Target: '/tmp' },
    ]);
    expect(original.hostConfig.Binds).toContain('pgdata:/var/lib/postgresql/data'); // the original's is not changed
  });

  it('drops what would collide (aliases, fixed address, MAC) and empties compose’s labels', () => {
    const rc = cloneConfig(original, 'db-copy', new Map());
    expect(rc.networks).toEqual({ shop_default: { Links: ['cache:cache'], DriverOpts: { mtu: '1400' } } });
    expect(rc.config).not.toHaveProperty('MacAddress');
    expect(rc.config.Labels).toEqual({ 'com.docker.compose.project': '', 'com.docker.compose.service': '', team: 'data' });
    expect(rc.config.Env).toEqual(['A=1']);
  });
});
