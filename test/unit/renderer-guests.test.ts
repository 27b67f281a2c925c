// The renderer's guest forms as pure rules: the memory range the slider keeps in order,
// the New VM wizard's defaults, problems (each naming its field) and the request it sends,
// the Properties dialog's changes (only what changed, the dynamic range as a pair, the
// revision read), the Memory tab's grouping, and the commands' can't-run reasons.
import { describe, expect, it } from 'vitest';
import type { CreateOptions, GuestProperties } from '../../shared/guests';
import i18n from '../../renderer/src/i18n';
import { moveBound, orderProblems, rangeOf, withoutDynamic } from '../../renderer/src/guests/memory-range';
import { rulesFor } from '../../renderer/src/guests/guest-settings';
import { draftProblems, disksThatDoNotFit, emptyDraft, specOf, withTemplate, type WizardField } from '../../renderer/src/guests/wizard-draft';
import { changedKeys, changesOf, draftOf, propertiesProblems, type ProblemWords } from '../../renderer/src/guests/properties-draft';
import { memoryGroups } from '../../renderer/src/guests/memory-tab-data';
import { serverCodeWords } from '../../renderer/src/guests/server-code-words';
import { containerProblems, containerSpecOf, emptyContainer } from '../../renderer/src/guests/container-draft';
import { buildIndex } from '../../renderer/src/tree/inventory-index';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { freshLab } from '../fixtures/fake-guests-lab';
import { labGuestsFacet } from '../fixtures/fake-guests-provider';
import { contextMenuFor } from '../../renderer/src/commands/layouts';
import { appInfo, canRun, ctxOf, server, state, vm } from './helpers/renderer-state';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const t = i18n.getFixedT('en');
const rules = rulesFor(labGuestsFacet, 'vm');

describe('the memory range', () => {
  const range = { staticMin: 512 * MiB, dynamicMin: 2 * GiB, dynamicMax: 4 * GiB, staticMax: 8 * GiB };
  it('a thumb stops at its neighbours', () => {
    expect(moveBound(range, 'dynamicMin', 6 * GiB).dynamicMin).toBe(4 * GiB);
    expect(moveBound(range, 'dynamicMax', 1 * GiB).dynamicMax).toBe(2 * GiB);
    expect(moveBound(range, 'staticMax', 2 * GiB).staticMax).toBe(4 * GiB);
    expect(moveBound(range, 'staticMin', -5).staticMin).toBe(0);
    expect(moveBound(range, 'dynamicMax', 5 * GiB)).toEqual({ ...range, dynamicMax: 5 * GiB });
  });
  it('names each pair out of order', () => {
    expect(orderProblems(range)).toEqual([]);
    expect(orderProblems({ ...range, dynamicMin: 5 * GiB })).toEqual(['dynamicMinAboveDynamicMax']);
    expect(orderProblems({ ...range, staticMin: 3 * GiB, dynamicMax: 9 * GiB })).toEqual(['staticMinAboveDynamicMin', 'dynamicMaxAboveStaticMax']);
  });
  it('a platform without a dynamic range has one size: the dynamic bounds sit on it', () => {
    expect(rangeOf({ sizeBytes: 2 * GiB })).toEqual({ staticMin: 2 * GiB, dynamicMin: 2 * GiB, dynamicMax: 2 * GiB, staticMax: 2 * GiB });
    expect(withoutDynamic({ ...range, staticMax: 256 * MiB })).toEqual({ staticMin: 256 * MiB, dynamicMin: 256 * MiB, dynamicMax: 256 * MiB, staticMax: 256 * MiB });
  });
});

describe('the New VM wizard', () => {
  const lab = freshLab();
  const options: CreateOptions = { serverId: 's', templates: lab.templates, hosts: [], storages: lab.storages, networks: lab.networks, isos: lab.isos, maxVcpus: 16, maxMemoryBytes: 32 * GiB };
  const debian = lab.templates[0];
  const label = (f: WizardField | 'description') => ({ name: 'Name', vcpus: 'vCPUs', memory: 'Memory', dynamicMin: 'Dynamic minimum', dynamicMax: 'Dynamic maximum' })[f as string] ?? f;
  const ctx = { t, options, template: debian, rules, label };

  it('takes the template’s vCPUs, memory, disks and the default network as its defaults', () => {
    const draft = withTemplate(emptyDraft('s'), debian, options);
    expect(draft).toMatchObject({ templateId: 'tpl-debian', vcpus: '2', memory: '4GiB', dynamicMin: '2GiB', dynamicMax: '4GiB', networks: ['net0'] });
    expect(draft.disks).toEqual([{ size: '16GiB', storageId: 'sr-local', fromTemplate: true }]);
  });

  it('names the field of each problem, in words', () => {
    const draft = { ...withTemplate(emptyDraft('s'), debian, options), vcpus: '40', memory: 'lots', dynamicMin: '3GiB', dynamicMax: '2GiB' };
    const problems = draftProblems(draft, ctx);
    expect(problems.name).toBe('“Name” is required.');
    expect(problems.vcpus).toBe('“vCPUs” must be at most 16.');
    expect(problems.memory).toBe('“Memory”: “lots” is not a size (for example 4 GiB, 512 MiB or 20 GB).');
    expect(problems.dynamicMin).toBe('The dynamic minimum is above the dynamic maximum.');
    const fixed = draftProblems({ ...draft, name: 'vm1', vcpus: '4', memory: '4 GiB', dynamicMin: '1GiB' }, ctx);
    expect(fixed).toEqual({});
    expect(draftProblems({ ...draft, name: 'vm1', vcpus: '4', memory: '1GiB', dynamicMin: '1GiB' }, ctx).dynamicMax).toBe('The dynamic maximum is above the memory size.');
  });

  it('sends what the platform declares, sizes in bytes, no empty cloud-init field, the password once', () => {
    const draft = { ...withTemplate(emptyDraft('s'), debian, options), name: ' vm1 ', isoId: 'iso-debian', disks: [{ size: '16GiB', storageId: 'sr-local', fromTemplate: true }, { size: '512', storageId: '', fromTemplate: false }], hostId: '' };
    expect(specOf(draft, rules, debian)).toEqual({
      templateId: 'tpl-debian',
      name: 'vm1',
      vcpus: 2,
      memory: { sizeBytes: 4 * GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB },
      disks: [{ sizeBytes: 16 * GiB, storageId: 'sr-local' }, { sizeBytes: 512 * MiB }],
      networks: [{ networkId: 'net0' }],
      isoId: 'iso-debian',
      start: true,
    });
    const cloud = lab.templates[1];
    const spec = specOf({ ...withTemplate(emptyDraft('s'), cloud, options), name: 'c1', ciUser: 'ops', ciPassword: 's3cret', ciIpConfig: 'dhcp', isoId: 'iso-debian' }, rulesFor(undefined, 'vm'), cloud);
    expect(spec.cloudInit).toEqual({ user: 'ops', password: 's3cret', ipConfig: 'dhcp' });
    expect(spec).not.toHaveProperty('isoId');
    expect(spec.memory).toEqual({ sizeBytes: 2 * GiB });
  });

  it('warns of a disk that does not fit in its storage’s free space, counting the disks before it', () => {
    const draft = { ...emptyDraft('s'), disks: [{ size: '100GiB', storageId: '', fromTemplate: true }, { size: '30GiB', storageId: 'sr-local', fromTemplate: false }, { size: '30GiB', storageId: 'sr-nfs', fromTemplate: false }] };
    expect(disksThatDoNotFit(draft, options)).toEqual([1]);
  });
});

describe('the Properties dialog', () => {
  const props: GuestProperties = {
    nodeId: 'n',
    name: 'web-1',
    description: '',
    vcpus: 2,
    vcpusMax: 4,
    memory: { sizeBytes: 4 * GiB, staticMinBytes: 512 * MiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB, actualBytes: 3 * GiB },
    disks: [],
    nics: [],
    cd: { isoId: null },
    bootOrder: ['disk', 'cd'],
    autoStart: false,
    tags: ['a'],
    isos: [],
    revision: '7',
  };
  const words: ProblemWords = { required: (f) => `req ${f}`, wholeNumber: (f) => `int ${f}`, range: (f) => `range ${f}`, notSize: (f) => `size ${f}`, order: (p) => p, minAboveSize: (min, size) => `${min} above ${size}`, growOnly: (f) => `grow ${f}` };

  it('sends only what changed, the dynamic range as a pair, with the revision read', () => {
    const draft = draftOf(props);
    expect(changesOf(props, draft, rules)).toEqual({});
    const changed = { ...draft, vcpus: '3', tags: 'a, b', isoId: 'iso-1', range: { ...draft.range!, dynamicMin: 3 * GiB } };
    const changes = changesOf(props, changed, rules);
    expect(changes).toEqual({ vcpus: 3, tags: ['a', 'b'], isoId: 'iso-1', memory: { dynamicMinBytes: 3 * GiB, dynamicMaxBytes: 4 * GiB }, revision: '7' });
    expect(changedKeys(changes)).toEqual(['vcpus', 'tags', 'cd', 'memory.dynamic']);
    expect(changesOf({ ...props, cd: { isoId: 'iso-1' } }, { ...draftOf({ ...props, cd: { isoId: 'iso-1' } }), isoId: '' }, rules)).toEqual({ isoId: null, revision: '7' });
  });

  it('a container’s CPU limit and restart policy', () => {
    const ct = { ...props, cpuLimit: 1, restartPolicy: 'no' as const };
    expect(changesOf(ct, { ...draftOf(ct), cpuLimit: '0.5', restartPolicy: 'always' }, rules)).toEqual({ cpuLimit: 0.5, restartPolicy: 'always', revision: '7' });
    const limited = rulesFor({ ...labGuestsFacet, settings: [...labGuestsFacet.settings, { key: 'cpuLimit', min: 0, whileRunning: 'live' }] }, 'container');
    expect(propertiesProblems({ ...draftOf(ct), cpuLimit: 'lots' }, limited, words)).toEqual({ cpuLimit: 'range cpuLimit' });
  });

  it('leaves out what the platform does not declare', () => {
    const noDynamic = rulesFor({ ...labGuestsFacet, settings: labGuestsFacet.settings.filter((r) => r.key !== 'memory.dynamic') }, 'vm');
    const draft = draftOf(props);
    expect(changesOf(props, { ...draft, range: { ...draft.range!, dynamicMin: 3 * GiB } }, noDynamic)).toEqual({});
  });

  it('refuses an out-of-order range and vCPUs above the running guest’s maximum', () => {
    const draft = draftOf(props);
    expect(propertiesProblems({ ...draft, range: { ...draft.range!, dynamicMin: 5 * GiB } }, rules, words)).toEqual({ memory: 'dynamicMinAboveDynamicMax' });
    expect(propertiesProblems({ ...draft, vcpus: '6' }, rules, words, props.vcpusMax)).toEqual({ vcpus: 'range vcpus' });
    expect(propertiesProblems({ ...draft, vcpus: '6' }, rules, words)).toEqual({});
    expect(propertiesProblems({ ...draft, name: ' ' }, rules, words)).toEqual({ name: 'req name' });
  });
});

describe('the Memory tab', () => {
  it('groups a pool’s guests under their hosts, the ones on no host apart, with the hosts’ memory', () => {
    const pool = { ...vm('s', 'p'), id: 's:pool:p', kind: 'pool' as const, state: undefined };
    const host = { ...vm('s', 'h'), id: 's:host:h', kind: 'host' as const, parentId: pool.id, props: { memoryTotal: 32 * GiB, memoryFree: 20 * GiB } };
    const running = vm('s', 'a', { parentId: host.id });
    const dom0 = vm('s', 'dom0', { parentId: host.id, controlDomain: true });
    const halted = vm('s', 'b', { parentId: pool.id, state: 'halted' });
    const index = buildIndex(new Map([pool, host, running, dom0, halted].map((n) => [n.id, n])), 1);
    const groups = memoryGroups(index, pool);
    expect(groups.map((g) => [g.host?.name ?? null, g.totalBytes, g.freeBytes, g.guests.map((x) => x.name)])).toEqual([
      ['h', 32 * GiB, 20 * GiB, ['a']],
      [null, null, null, ['b']],
    ]);
    expect(memoryGroups(index, host).map((g) => g.guests.map((x) => x.name))).toEqual([['a']]);
  });
});

describe('server codes in words', () => {
  it('known codes with their parameters; others keep the server’s message', () => {
    expect(serverCodeWords(t, { code: 'SERVER_ERROR', message: 'm', serverCode: 'VM_BAD_POWER_STATE', serverParams: ['OpaqueRef:1', 'halted', 'running'] })).toBe(
      'The VM is not in a power state that allows this (it must be halted; it is running).',
    );
    expect(serverCodeWords(t, { code: 'SERVER_ERROR', message: 'm', serverCode: 'SOMETHING_ELSE' })).toBeNull();
  });
});

describe('the commands', () => {
  const facets = { xenserver: { guests: labGuestsFacet }, docker: { guests: undefined } };
  const info = appInfo(facets);
  const xen = server('x', 'xenserver');
  const dock = server('d', 'docker');
  const template = { ...vm('x', 'tpl'), id: 'x:template:tpl', kind: 'template' as const, state: undefined };
  it('New VM runs on a server whose platform makes VMs, and says so where it does not', () => {
    const s = state({ info, servers: [xen, dock], nodes: [template] });
    expect(canRun('new-vm', { ...s, selection: [serverKey('x')] })).toEqual({ ok: true });
    expect(canRun('new-vm', { ...s, selection: [serverKey('d')] })).toEqual({ ok: false, reason: 'Docker Engine cannot make VMs from Polyvisor.' });
    expect(canRun('new-vm', { ...s, selection: [] })).toEqual({ ok: true });
    expect(canRun('new-vm', { ...s, servers: [{ ...xen, state: 'error' }, dock], selection: [] })).toEqual({ ok: false, reason: 'No connected server can make VMs: connect one whose platform can.' });
    // templates are in the tree when the view shows them
    expect(canRun('new-vm-from-template', { ...s, settings: { ...info.settings, showTemplates: true }, selection: [template.id] })).toEqual({ ok: true });
    expect(canRun('new-vm-from-template', { ...s, selection: [serverKey('x')] })).toEqual({ ok: false, reason: 'Select a template first.' });
  });
  it('is in the context menus of servers, pools and hosts, and a template’s starts with New VM from this template', () => {
    const pool = { ...vm('x', 'p'), id: 'x:pool:p', kind: 'pool' as const, state: undefined, allowed: [] };
    const host = { ...vm('x', 'h'), id: 'x:host:h', kind: 'host' as const, parentId: pool.id, allowed: [] };
    const s = state({ info, servers: [xen], nodes: [pool, host, template], settings: { ...info.settings, showTemplates: true } });
    for (const selection of [[serverKey('x')], [pool.id], [host.id]]) expect(contextMenuFor(ctxOf({ ...s, selection }))).toContain('new-vm');
    expect(contextMenuFor(ctxOf({ ...s, selection: [template.id] })).slice(0, 2)).toEqual(['new-vm-from-template', 'guest-properties']);
  });
  it('Edit properties needs one guest of a platform with settings', () => {
    const web = vm('x', 'web');
    const ct = vm('d', 'ct', { kind: 'container' });
    const s = state({ info, servers: [xen, dock], nodes: [web, ct] });
    expect(canRun('guest-properties', { ...s, selection: [web.id] })).toEqual({ ok: true });
    expect(canRun('guest-properties', { ...s, selection: [ct.id] })).toEqual({ ok: false, reason: 'Docker Engine has no settings Polyvisor can change.' });
    expect(canRun('guest-properties', { ...s, selection: [web.id, ct.id] }).ok).toBe(false);
  });
});

describe('the wizard’s container fields', () => {
  it('reads ports, volumes and environment one per line, naming the line it cannot read', () => {
    const ct = { command: 'nginx -g daemon', env: 'A=1\nB=two', ports: '8080:80\n53/udp', volumes: 'data:/var/lib/data\n/srv/www:/usr/share/nginx/html:ro', restart: 'unless-stopped' as const, cpus: '0.5' };
    expect(containerProblems(ct)).toEqual({});
    expect(containerSpecOf(ct, { restartPolicy: true, cpuLimit: true })).toEqual({
      command: ['nginx', '-g', 'daemon'],
      env: ['A=1', 'B=two'],
      ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }],
      volumes: [{ source: 'data', target: '/var/lib/data' }, { source: '/srv/www', target: '/usr/share/nginx/html', readOnly: true }],
      restartPolicy: 'unless-stopped',
      cpuLimit: 0.5,
    });
    expect(containerSpecOf(ct, { restartPolicy: false, cpuLimit: false })).not.toHaveProperty('restartPolicy');
    expect(containerProblems({ ...ct, ports: '8080:80\n99999', env: 'not an assignment', volumes: 'relative', cpus: 'lots' })).toEqual({ ctPorts: '99999', ctEnv: 'not an assignment', ctVolumes: 'relative', ctCpus: 'lots' });
  });
  it('asks for them only where the platform has images, and sends them with the request', () => {
    const lab = freshLab();
    const options: CreateOptions = { serverId: 's', templates: lab.templates, hosts: [], storages: lab.storages, networks: lab.networks, isos: [] };
    const alpine = lab.templates[2];
    const draft = { ...withTemplate(emptyDraft('s'), alpine, options), name: 'ct1', container: { ...emptyContainer(), ports: '80x' } };
    const ctx = { t, options, template: alpine, rules, label: (f: string) => f };
    expect(draftProblems(draft, ctx)).toEqual({});
    expect(draftProblems(draft, { ...ctx, containerFields: true })).toEqual({ ctPorts: '“ctPorts”: cannot read “80x”.' });
    expect(specOf({ ...draft, container: { ...emptyContainer(), ports: '80' } }, rules, alpine, true).container).toEqual({ ports: [{ containerPort: 80 }] });
    expect(specOf(draft, rules, alpine)).not.toHaveProperty('container');
  });
});
