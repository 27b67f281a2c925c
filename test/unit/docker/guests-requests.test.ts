// The pure parts of Docker's guests and images (issue 14): image references as the pull
// takes them, pull progress from the engine's lines (as dockerd 20.10 writes them), the
// create and update bodies and their refusals. The engine itself is exercised in
// test/integration/docker/guests.test.ts and images.test.ts.

import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import { createRequest } from '../../../electron/core/providers/docker/container-create';
import { updateBody } from '../../../electron/core/providers/docker/container-update';
import { PullProgress, fullReference, splitReference } from '../../../electron/core/providers/docker/image-pull';
import { readVolumeList, readVolumeSizes } from '../../../electron/core/providers/docker/store-records';
import { apiAtLeast } from '../../../electron/core/providers/docker/images';

function refusal(work: () => unknown): { code: string; field?: string } {
  try {
    work();
  } catch (e) {
    if (isPolyvisorError(e)) return { code: e.info.code, field: e.info.field };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('image references', () => {
  it('defaults to latest (never every tag) and keeps a registry port apart from a tag', () => {
    expect(splitReference('busybox')).toEqual({ fromImage: 'busybox', tag: 'latest' });
    expect(splitReference('127.0.0.1:5000/pv/busybox')).toEqual({ fromImage: '127.0.0.1:5000/pv/busybox', tag: 'latest' });
    expect(splitReference('127.0.0.1:5000/pv/busybox:1')).toEqual({ fromImage: '127.0.0.1:5000/pv/busybox', tag: '1' });
    expect(splitReference('busybox@sha256:abc')).toEqual({ fromImage: 'busybox', tag: 'sha256:abc' });
    expect(fullReference('busybox@sha256:abc')).toBe('busybox@sha256:abc');
    expect(fullReference('host:5000/a')).toBe('host:5000/a:latest');
  });
});

describe('pull progress', () => {
  it('moves with the bytes downloaded and extracted, layers already there count as done', () => {
    const p = new PullProgress();
    p.take({ status: 'Pulling from pv/payload', id: '1' });
    p.take({ status: 'Already exists', progressDetail: {}, id: 'base' });
    p.take({ status: 'Pulling fs layer', progressDetail: {}, id: 'big' });
    expect(p.fraction).toBe(0); // no layer to fetch has a size yet
    p.take({ status: 'Downloading', progressDetail: { current: 1000, total: 4000 }, id: 'big' });
    const early = p.fraction;
    p.take({ status: 'Downloading', progressDetail: { current: 3000, total: 4000 }, id: 'big' });
    expect(p.fraction).toBeGreaterThan(early);
    p.take({ status: 'Download complete', progressDetail: {}, id: 'big' });
    p.take({ status: 'Extracting', progressDetail: { current: 2000, total: 4000 }, id: 'big' });
    const extracting = p.fraction;
    expect(extracting).toBeCloseTo(0.9);
    p.take({ status: 'Pull complete', progressDetail: {}, id: 'big' });
    expect(p.fraction).toBe(1);
    expect(p.downloadedBytes).toBe(4000);
  });

  it('hands back the engine\'s error line', () => {
    expect(new PullProgress().take({ errorDetail: { message: 'unauthorized' }, error: 'unauthorized' })).toBe('unauthorized');
  });
});

describe('container create and update bodies', () => {
  it('maps the spec to the engine\'s create body', () => {
    const { create, extraNetworks } = createRequest({
      templateId: 'busybox:latest',
      name: 'web',
      networks: [{ networkId: 'front' }, { networkId: 'back' }],
      memory: { sizeBytes: 64, reservationBytes: 32 },
      container: { command: ['sh'], env: ['A=1'], ports: [{ containerPort: 80 }, { containerPort: 53, hostPort: 5353, protocol: 'udp' }], volumes: [{ source: 'data', target: '/data', readOnly: true }, { source: '/srv', target: '/srv' }], restartPolicy: 'always', cpuLimit: 0.25 },
    });
    expect(create).toMatchObject({
      name: 'web',
      Image: 'busybox:latest',
      Cmd: ['sh'],
      Env: ['A=1'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      HostConfig: {
        Binds: ['data:/data:ro', '/srv:/srv'],
        PortBindings: { '80/tcp': [{ HostPort: '' }], '53/udp': [{ HostPort: '5353' }] },
        RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
        Memory: 64,
        MemoryReservation: 32,
        NanoCpus: 250_000_000,
        NetworkMode: 'front',
      },
    });
    expect(extraNetworks).toEqual(['back']);
  });

  it('refuses what a container has no place for, naming the field', () => {
    const base = { templateId: 'busybox', name: 'ok' };
    expect(refusal(() => createRequest({ ...base, name: 'a b' }))).toEqual({ code: 'INVALID_INPUT', field: 'name' });
    expect(refusal(() => createRequest({ ...base, isoId: 'x' }))).toEqual({ code: 'INVALID_INPUT', field: 'isoId' });
    expect(refusal(() => createRequest({ ...base, memory: { dynamicMinBytes: 1 } }))).toEqual({ code: 'INVALID_INPUT', field: 'memory' });
    expect(refusal(() => createRequest({ ...base, container: { ports: [{ containerPort: 70000 }] } }))).toEqual({ code: 'INVALID_INPUT', field: 'ports' });
    expect(refusal(() => createRequest({ ...base, container: { volumes: [{ source: 'data', target: 'relative' }] } }))).toEqual({ code: 'INVALID_INPUT', field: 'volumes' });
    expect(refusal(() => createRequest({ ...base, hostRef: 'elsewhere' }))).toEqual({ code: 'INVALID_INPUT', field: 'hostId' });
  });

  it('updates limits and restart policy, refuses what Docker fixes at creation', () => {
    expect(updateBody({ memory: { sizeBytes: 128, reservationBytes: 0 }, cpuLimit: 2, restartPolicy: 'no' })).toEqual({
      Memory: 128,
      MemoryReservation: 0,
      NanoCpus: 2_000_000_000,
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    });
    expect(updateBody({ name: 'new-name' })).toEqual({});
    expect(refusal(() => updateBody({ tags: ['a'] }))).toEqual({ code: 'UNSUPPORTED', field: 'tags' });
    expect(refusal(() => updateBody({ autoStart: true }))).toEqual({ code: 'UNSUPPORTED', field: 'autoStart' });
    expect(refusal(() => updateBody({ memory: { shares: 5 } }))).toEqual({ code: 'UNSUPPORTED', field: 'memory' });
    expect(refusal(() => updateBody({ cpuLimit: -1 }))).toEqual({ code: 'INVALID_INPUT', field: 'cpuLimit' });
  });
});

describe('volume answers', () => {
  it('reads the list and the sizes df computed, skipping what is not a volume', () => {
    expect(readVolumeList({ Volumes: [{ Name: 'a', Driver: 'local', Mountpoint: '/m', CreatedAt: 't', Labels: { k: 'v', n: 1 } }, { Driver: 'x' }, 7] }, 'w')).toEqual([
      { Name: 'a', Driver: 'local', Mountpoint: '/m', CreatedAt: 't', Labels: { k: 'v' } },
    ]);
    expect(readVolumeList({ Volumes: null }, 'w')).toEqual([]);
    expect(() => readVolumeList([], 'w')).toThrow(/volume list/);
    const sizes = readVolumeSizes({ Volumes: [{ Name: 'a', UsageData: { Size: 10 } }, { Name: 'b', UsageData: { Size: -1 } }] }, 'w');
    expect([...sizes]).toEqual([['a', 10]]);
  });

  it('asks for all volumes in a prune only where the API knows the filter', () => {
    expect(apiAtLeast('1.41', 1, 42)).toBe(false);
    expect(apiAtLeast('1.42', 1, 42)).toBe(true);
    expect(apiAtLeast('2.0', 1, 42)).toBe(true);
  });
});
