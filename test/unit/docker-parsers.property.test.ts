// Every reader of what a Docker engine sends, under fast-check: arbitrary and mutated
// inputs give a value or a typed PolyvisorError, never another exception, and what a
// reader returns can always be turned into tree nodes (and those into JSON).

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../shared/errors';
import { NodeDiffer } from '../../electron/core/providers/common/node-differ';
import { readContainer, readContainerIds, readEngineFacts, readImageList } from '../../electron/core/providers/docker/engine-records';
import { parseEventLine } from '../../electron/core/providers/docker/events';
import { InventoryBuilder, type EngineState } from '../../electron/core/providers/docker/inventory';
import { LogDemuxer } from '../../electron/core/providers/docker/log-demux';
import { STDERR_MARK } from '../../shared/contract';
import { parseSnapshotImage, readVolumeRefs } from '../../electron/core/providers/docker/snapshot-labels';
import { hostKeyRefusal, openSshKeyLine, sshHostKeyFingerprint } from '../../electron/core/providers/docker/ssh-transport';

const RUNS = { numRuns: 300 };
const WHERE = 'engine.test (GET /x)';

/** Calls `fn`; a typed error is an answer, any other exception fails the property. */
function valueOrTypedError<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (isPolyvisorError(e) && e.code !== 'INTERNAL') return null;
    throw e;
  }
}

/** A container as dockerd 20.10 describes it (trimmed), to mutate. */
const INSPECT = {
  Id: 'a'.repeat(64),
  Created: '2026-01-01T00:00:00.000000000Z',
  Path: 'sh',
  Args: ['-c', "trap 'exit 0' TERM; sleep 100000 & wait"],
  State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 42, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:01Z', FinishedAt: '0001-01-01T00:00:00Z', Health: { Status: 'healthy', FailingStreak: 0, Log: [] } },
  Image: 'sha256:' + 'b'.repeat(64),
  Name: '/web-1',
  RestartCount: 0,
  HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, Binds: ['data:/data'] },
  Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }],
  Config: { Hostname: 'aaaaaaaaaaaa', Env: ['PATH=/bin'], Cmd: ['sh'], Image: 'local/busybox:latest', Tty: false, Labels: { 'com.docker.compose.project': 'shop', tier: 'web' } },
  NetworkSettings: { Ports: { '80/tcp': null }, Networks: { none: { IPAddress: '', Aliases: null } } },
};

const IMAGE = {
  Id: 'sha256:' + 'c'.repeat(64),
  RepoTags: ['polyvisor-snapshots/web-1:20260101T000000Z-abc123'],
  Size: 1234,
  Labels: {
    'dev.polyvisor.snapshot.role': 'image',
    'dev.polyvisor.snapshot.of': 'a'.repeat(64),
    'dev.polyvisor.snapshot.container-name': 'web-1',
    'dev.polyvisor.snapshot.time': '2026-01-01T00:00:00.000Z',
    'dev.polyvisor.snapshot.name': 'before upgrade',
    'dev.polyvisor.snapshot.ancestors': '',
    'dev.polyvisor.snapshot.volumes': '[{"volume":"data","destination":"/data","path":"/.polyvisor-volumes/0"}]',
  },
};

/** Every path into a JSON document, to replace one of them. */
function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function mutated(doc: unknown, pick: number, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string | number, unknown>;
  const all = paths(copy);
  const at = all[pick % all.length];
  if (at.length === 0) return value;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[at[at.length - 1]] = value;
  return copy;
}

const hostile = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.constantFrom(null, undefined, '', '__proto__', { __proto__: { polluted: true } }, JSON.parse('{"__proto__":"x"}'), Buffer.from('<html>')),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
);

const ENGINE = { name: 'e', id: 'x', version: '20.10', apiVersion: '1.41', os: 'Debian', kernel: '6', cpus: 2, memory: 1, storageDriver: 'overlay2', experimental: false, systemTimeMs: null };

/** The records a reader gave, through the tree builder and the differ, into JSON. */
function treeOf(containers: ReturnType<typeof readContainer>[], images: ReturnType<typeof readImageList> = []): string {
  const snapshots = new Map(images.map(parseSnapshotImage).filter((s) => s !== null).map((s) => [s!.imageId, s!]));
  const state: EngineState = { engine: ENGINE, containers: new Map(containers.map((c) => [c.Id, c])), snapshots };
  const delta = new NodeDiffer('s').reset(new InventoryBuilder('s').all(state));
  return JSON.stringify(delta);
}

describe('Docker answer readers under arbitrary input', () => {
  it('container descriptions: arbitrary values', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const c = valueOrTypedError(() => readContainer(raw, WHERE));
        if (c) expect(typeof treeOf([c])).toBe('string');
      }),
      RUNS,
    );
  });

  it('container descriptions: a real one with one part replaced by anything', () => {
    fc.assert(
      fc.property(fc.nat(), hostile, (pick, value) => {
        const c = valueOrTypedError(() => readContainer(mutated(INSPECT, pick, value), WHERE));
        if (c) {
          expect(Object.getPrototypeOf(c.Config.Labels)).toBe(Object.prototype);
          expect(typeof treeOf([c])).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a real container description reads as what it says', () => {
    const c = readContainer(INSPECT, WHERE);
    expect(c).toMatchObject({ Id: INSPECT.Id, Name: '/web-1', State: { Running: true, Health: { Status: 'healthy' } }, Config: { Labels: INSPECT.Config.Labels } });
    expect(treeOf([c])).toContain('"name":"web-1"');
  });

  it('container lists, image lists, engine facts', () => {
    fc.assert(
      fc.property(hostile, hostile, fc.nat(), (a, b, pick) => {
        valueOrTypedError(() => readContainerIds(a, WHERE));
        valueOrTypedError(() => readContainerIds([{ Id: 'x' }, a], WHERE));
        valueOrTypedError(() => readEngineFacts(a, b, WHERE));
        const images = valueOrTypedError(() => readImageList([a, mutated(IMAGE, pick, b)], WHERE));
        if (images) expect(typeof treeOf([readContainer(INSPECT, WHERE)], images)).toBe('string');
      }),
      RUNS,
    );
  });

  it('snapshot labels written by someone else', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.jsonValue(), (text, pick, value) => {
        for (const ref of readVolumeRefs(text)) expect(typeof ref.volume).toBe('string');
        const volumes = JSON.stringify(mutated(JSON.parse(IMAGE.Labels['dev.polyvisor.snapshot.volumes']), pick, value));
        const image = { ...IMAGE, Labels: { ...IMAGE.Labels, 'dev.polyvisor.snapshot.volumes': volumes } };
        expect(typeof treeOf([readContainer(INSPECT, WHERE)], readImageList([image], WHERE))).toBe('string');
      }),
      RUNS,
    );
  });

  it('event lines: anything a line can hold', () => {
    const line = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.record({ Type: fc.oneof(fc.constantFrom('container', 'image', 'network'), fc.jsonValue()), Action: fc.oneof(fc.constantFrom('start', 'die', 'destroy', 'commit', 'tag', 'health_status: healthy'), fc.jsonValue()), Actor: fc.oneof(fc.record({ ID: fc.jsonValue() }), fc.jsonValue()), id: fc.jsonValue() }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(line, (text) => {
        const ev = parseEventLine(text);
        expect(['container', 'images', 'volumes', 'networks', 'ignored', 'malformed']).toContain(ev.kind);
        if (ev.kind === 'container') expect(typeof ev.id === 'string' && ev.id.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(parseEventLine('{"Type":"container","Action":"die","Actor":{"ID":"abc"}}')).toEqual({ kind: 'container', id: 'abc', action: 'die' });
    expect(parseEventLine('{"Type":"network","Action":"connect","Actor":{"ID":"n1"}}')).toEqual({ kind: 'networks' });
    expect(parseEventLine(`[${'['.repeat(100_000)}${']'.repeat(100_000)}]`).kind).toBe('malformed');
  });
});

describe('multiplexed logs under arbitrary bytes', () => {
  async function demux(chunks: Buffer[]): Promise<Buffer | null> {
    const d = new LogDemuxer(WHERE);
    const out: Buffer[] = [];
    d.on('data', (c: Buffer) => out.push(c));
    const done = new Promise<Buffer | null>((resolve, reject) => {
      d.on('end', () => resolve(Buffer.concat(out)));
      d.on('error', (e) => (isPolyvisorError(e) && e.code !== 'INTERNAL' ? resolve(null) : reject(e)));
    });
    for (const c of chunks) d.write(c);
    d.end();
    return done;
  }

  const frame = (stream: number, text: string) => {
    const body = Buffer.from(text);
    const h = Buffer.alloc(8);
    h[0] = stream;
    h.writeUInt32BE(body.length, 4);
    return Buffer.concat([h, body]);
  };

  it('well-formed frames, cut anywhere, read back as their text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(1, 2), fc.string()), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), async (frames, cuts) => {
        const all = Buffer.concat(frames.map(([s, t]) => frame(s, t)));
        const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at, all.length].slice(1).map((end, i, ends) => all.subarray(i === 0 ? 0 : ends[i - 1], end));
        expect((await demux(chunks))?.toString()).toBe(frames.map(([, t]) => t).join(''));
      }),
      RUNS,
    );
  });

  it('arbitrary bytes: text or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), async (chunks) => {
        await demux(chunks.map((c) => Buffer.from(c)));
      }),
      RUNS,
    );
  });

  it('asked to, starts every line that came on stderr with the mark, however frames and chunks fall', async () => {
    /** the model: character by character, a mark wherever a stderr character starts a line */
    const marked = (frames: Array<[number, string]>) => {
      let out = '';
      let atStart = true;
      for (const [stream, text] of frames) {
        for (const ch of text) {
          if (atStart && stream === 2) out += STDERR_MARK;
          out += ch;
          atStart = ch === '\n';
        }
      }
      return out;
    };
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '日'), { maxLength: 12 }).map((cs) => cs.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(1, 2), text), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), async (frames, cuts) => {
        const all = Buffer.concat(frames.map(([s, t]) => frame(s, t)));
        const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at, all.length].slice(1).map((end, i, ends) => all.subarray(i === 0 ? 0 : ends[i - 1], end));
        const d = new LogDemuxer(WHERE, { markStderr: true });
        const out: Buffer[] = [];
        d.on('data', (c: Buffer) => out.push(Buffer.from(c)));
        const done = new Promise<void>((resolve, reject) => (d.on('end', resolve), d.on('error', reject)));
        for (const c of chunks) d.write(c);
        d.end();
        await done;
        expect(Buffer.concat(out).toString()).toBe(marked(frames));
      }),
      RUNS,
    );
  });
});

describe('SSH host keys as presented', () => {
  it('any blob gives an OpenSSH line whose fingerprint is the pin, or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.option(fc.constantFrom('ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa')), (bytes, algorithm) => {
        const name = Buffer.from(algorithm ?? '');
        const len = Buffer.alloc(4);
        len.writeUInt32BE(name.length);
        const blob = algorithm ? Buffer.concat([len, name, Buffer.from(bytes)]) : Buffer.from(bytes);
        const line = valueOrTypedError(() => openSshKeyLine(blob));
        if (line) {
          const [, base64] = line.split(' ');
          expect(sshHostKeyFingerprint(Buffer.from(base64, 'base64'))).toBe(sshHostKeyFingerprint(blob));
          expect(sshHostKeyFingerprint(blob)).toBe(createHash('sha256').update(blob).digest('hex').toUpperCase().match(/.{2}/g)!.join(':'));
        }
        const refusal = hostKeyRefusal({ host: 'h', port: 22, username: 'u' }, blob);
        expect(['CERT_UNTRUSTED', 'SERVER_ERROR']).toContain(refusal?.code);
        expect(hostKeyRefusal({ host: 'h', port: 22, username: 'u', pinnedFingerprint: sshHostKeyFingerprint(blob) }, blob)?.code ?? null).toBe(line ? null : 'SERVER_ERROR');
      }),
      RUNS,
    );
  });
});
