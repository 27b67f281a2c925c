// What a moved container's configuration keeps on the destination engine: the networks that
// exist there (a missing primary one gives way to the next, else none), and how the answer
// of docker load tells a failure.

import { describe, expect, it } from 'vitest';
import type { RecreateConfig } from '../../electron/core/providers/docker/container-config';
import { loadError } from '../../electron/core/providers/docker/image-transfer';
import { configForNetworks } from '../../electron/core/providers/docker/move-checks';

const web: RecreateConfig = {
  name: 'web',
  originalImage: 'nginx:1',
  config: { Env: ['A=1'] },
  hostConfig: { NetworkMode: 'front', RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
  networks: { front: { Aliases: ['web'] }, back: { Aliases: null }, monitoring: {} },
};

describe('Docker move: networks on the destination', () => {
  it('keeps every network the destination has, primary included', () => {
    const { rc, left } = configForNetworks(web, new Set(['bridge', 'host', 'none', 'front', 'back', 'monitoring']));
    expect(rc).toEqual(web);
    expect(left).toEqual([]);
  });

  it('leaves out the ones it lacks and says which', () => {
    const { rc, left } = configForNetworks(web, new Set(['front', 'back']));
    expect(Object.keys(rc.networks)).toEqual(['front', 'back']);
    expect(rc.hostConfig.NetworkMode).toBe('front');
    expect(left).toEqual(['monitoring']);
  });

  it('makes the next remaining network primary when the primary one is missing, else none', () => {
    const moved = configForNetworks(web, new Set(['back']));
    expect(moved.rc.hostConfig).toMatchObject({ NetworkMode: 'back', RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } });
    expect(moved.left).toEqual(['front', 'monitoring']);
    const alone = configForNetworks(web, new Set(['bridge']));
    expect(alone.rc.hostConfig.NetworkMode).toBe('none');
    expect(alone.rc.networks).toEqual({});
  });

  it('keeps host and none, and the default bridge only where it exists', () => {
    const host = { ...web, hostConfig: { NetworkMode: 'host' }, networks: { host: {} } };
    expect(configForNetworks(host, new Set(['host'])).rc).toEqual(host);
    const bridged = { ...web, hostConfig: { NetworkMode: 'default' }, networks: { bridge: {} } };
    expect(configForNetworks(bridged, new Set(['bridge'])).rc).toEqual(bridged);
    expect(configForNetworks(bridged, new Set([])).rc.hostConfig.NetworkMode).toBe('none');
  });
});

describe('Docker move: the answer of docker load', () => {
  it('is fine with the loaded-image lines, and names the engine’s error otherwise', () => {
    expect(loadError('{"stream":"Loaded image: local/busybox:latest\\n"}\n{"stream":"Loaded image ID: sha256:ab\\n"}\n')).toBeNull();
    expect(loadError('{"errorDetail":{"message":"no space left on device"},"error":"no space left on device"}\n')).toBe('no space left on device');
    expect(loadError('<html>')).toMatch(/not JSON/);
  });
});
