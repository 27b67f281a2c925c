// The guest forms with the platforms' own rules (issue 14): Proxmox's balloon range ends
// at the memory (the maximum follows a changed size; a minimum above it is refused in
// words naming both fields), vSphere's vCPUs and memory change while running only with
// the VM's own CPU / Memory Hot Add (and memory only upwards), and each range end is
// labelled with the platform's word; XAPI's device codes in both languages; the CLI's
// vm show saying what hot add allows.
import { describe, expect, it } from 'vitest';
import type { GuestProperties } from '../../shared/guests';
import i18n from '../../renderer/src/i18n';
import { proxmoxDescriptor } from '../../electron/core/providers/proxmox/descriptor';
import { vsphereGuestsFacet } from '../../electron/core/providers/vsphere/guests-facet';
import { xenServerGuestsFacet } from '../../electron/core/providers/xenserver/guests-facet';
import { localized } from '../../shared/descriptor';
import { fieldState, rulesFor } from '../../renderer/src/guests/guest-settings';
import { moveBound, rangeOf } from '../../renderer/src/guests/memory-range';
import { changesOf, draftOf, propertiesProblems, type ProblemWords } from '../../renderer/src/guests/properties-draft';
import { draftProblems, emptyDraft, specOf } from '../../renderer/src/guests/wizard-draft';
import { KNOWN_SERVER_CODES, serverCodeWords } from '../../renderer/src/guests/server-code-words';
import { formatProperties } from '../../electron/cli/guest-format';

const GiB = 1024 ** 3;
const en = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');
const words: ProblemWords = {
  required: (f) => `req ${f}`,
  wholeNumber: (f) => `int ${f}`,
  range: (f) => `range ${f}`,
  notSize: (f) => `size ${f}`,
  order: (p) => p,
  minAboveSize: (min, size) => `${min / GiB} above ${size / GiB}`,
  growOnly: (f) => `grow ${f}`,
};

describe('Proxmox VE: the balloon range ends at the memory', () => {
  const rules = rulesFor(proxmoxDescriptor.facets.guests, 'vm');
  const props: GuestProperties = { nodeId: 'p:vm:100', name: 'web', description: '', memory: { sizeBytes: 4 * GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB }, disks: [], nics: [], tags: [], isos: [], revision: 'd1' };

  it('raising the memory on the slider raises the range’s maximum with it; lowering stops at the minimum', () => {
    const range = rangeOf(props.memory!);
    expect(moveBound(range, 'staticMax', 6 * GiB, true)).toEqual({ ...range, staticMax: 6 * GiB, dynamicMax: 6 * GiB });
    expect(moveBound(range, 'staticMax', 1 * GiB, true)).toEqual({ ...range, staticMax: 2 * GiB, dynamicMax: 2 * GiB });
    expect(moveBound(range, 'dynamicMin', 5 * GiB, true)).toEqual({ ...range, dynamicMin: 4 * GiB });
  });

  it('a larger memory is sent alone; a new minimum goes with the memory as the range’s end', () => {
    const draft = draftOf(props);
    const bigger = { ...draft, range: { ...draft.range!, staticMax: 6 * GiB, dynamicMax: 6 * GiB } };
    expect(changesOf(props, bigger, rules)).toEqual({ memory: { sizeBytes: 6 * GiB }, revision: 'd1' });
    const both = { ...bigger, range: { ...bigger.range!, dynamicMin: 3 * GiB } };
    expect(changesOf(props, both, rules)).toEqual({ memory: { sizeBytes: 6 * GiB, dynamicMinBytes: 3 * GiB, dynamicMaxBytes: 6 * GiB }, revision: 'd1' });
  });

  it('a minimum above the memory is refused in the dialog, naming both fields in either language', () => {
    const draft = draftOf(props);
    const above = { ...draft, range: { ...draft.range!, dynamicMin: 5 * GiB } };
    expect(propertiesProblems(above, rules, words)).toEqual({ memory: '5 above 4' });
    const say = (t: typeof en) => t('guests.memory.minAboveSize', { min: 'Minimum memory', minSize: '5 GiB', size: 'Memory', sizeSize: '4 GiB' });
    expect(say(en)).toBe('“Minimum memory” (5 GiB) cannot be above “Memory” (4 GiB): the range ends at the memory.');
    expect(say(zh)).toContain('不能大于');
  });

  it('the New VM wizard asks only for the minimum and refuses one above the memory', () => {
    const label = (f: string) => ({ memory: 'Memory', dynamicMin: 'Minimum memory' })[f] ?? f;
    const template = { id: 't', name: 'empty', makes: 'vm' as const, install: [] };
    const draft = { ...emptyDraft('s'), templateId: 't', name: 'vm1', vcpus: '1', memory: '2GiB', dynamicMin: '3GiB', dynamicMax: '9GiB' };
    const problems = draftProblems(draft, { t: en, options: null, template, rules, label });
    expect(problems.dynamicMin).toBe('“Minimum memory” (3 GiB) cannot be above “Memory” (2 GiB): the range ends at the memory.');
    expect(problems.dynamicMax).toBeUndefined();
    expect(specOf({ ...draft, dynamicMin: '1GiB' }, rules, template).memory).toEqual({ sizeBytes: 2 * GiB, dynamicMinBytes: 1 * GiB });
  });

  it('a template’s disk may grow in the wizard, never shrink', () => {
    const label = (f: string) => (f.startsWith('disk') ? 'Disk size' : f);
    const template = { id: 'guest:qemu/101', name: 'leap154', makes: 'vm' as const, install: [], disks: [{ sizeBytes: 64 * GiB }], copiesDisks: true };
    const draft = { ...emptyDraft('s'), templateId: template.id, name: 'vm1', vcpus: '1', memory: '2GiB', disks: [{ size: '32GiB', storageId: '', fromTemplate: true }, { size: '1GiB', storageId: '', fromTemplate: false }] };
    const ctx = { t: en, options: null, template, rules, label };
    expect(draftProblems(draft, ctx).disk0).toBe('“Disk size” cannot be smaller than the template’s disk (64 GiB): disks only grow.');
    expect(draftProblems({ ...draft, disks: [{ ...draft.disks[0], size: '80GiB' }, draft.disks[1]] }, ctx).disk0).toBeUndefined();
    // a blank VM's default disk is made new: smaller is fine
    expect(draftProblems(draft, { ...ctx, template: { ...template, copiesDisks: undefined } }).disk0).toBeUndefined();
    expect(zh('guests.problem.diskShrink', { field: '磁盘大小', size: '64 GiB' })).toBe('“磁盘大小”不能小于模板的磁盘（64 GiB）：磁盘只能增大。');
  });

  it('the range’s ends carry Proxmox’s words', () => {
    const dynamic = rules.get('memory.dynamic')!;
    expect([localized(dynamic.label!, 'en'), localized(dynamic.bounds!.min, 'en'), localized(dynamic.bounds!.min, 'zh-CN')]).toEqual(['Ballooning Device', 'Minimum memory', '最小内存']);
    expect(localized(rulesFor(xenServerGuestsFacet, 'vm').get('memory.dynamic')!.bounds!.max, 'en')).toBe('Dynamic maximum');
  });
});

describe('vSphere: vCPUs and memory while running follow the VM’s hot add', () => {
  const rules = rulesFor(vsphereGuestsFacet, 'vm');
  const props: GuestProperties = { nodeId: 'v:vm:vm-1', name: 'app', description: '', vcpus: 2, memory: { sizeBytes: 2 * GiB }, disks: [], nics: [], tags: [], isos: [] };

  it('live with hot add; otherwise only while powered off, saying which hot add is off', () => {
    expect(fieldState(en, rules.get('vcpus'), true, { cpu: true, memory: false })).toEqual({ disabledReason: null, nextBoot: false });
    expect(fieldState(en, rules.get('memory.size'), true, { cpu: true, memory: false }).disabledReason).toBe('Only while powered off: Memory Hot Add is not enabled on this VM.');
    expect(fieldState(zh, rules.get('vcpus'), true, undefined).disabledReason).toBe('仅在关机时可更改：此虚拟机未启用 CPU 热添加。');
    expect(fieldState(en, rules.get('vcpus'), false, undefined).disabledReason).toBeNull();
  });

  it('hot added memory only grows while the VM runs', () => {
    const hot = { ...props, hotAdd: { cpu: true, memory: true } };
    const draft = draftOf(hot);
    const less = { ...draft, range: { ...draft.range!, staticMax: 1 * GiB, dynamicMin: 1 * GiB, dynamicMax: 1 * GiB } };
    expect(propertiesProblems(less, rules, words, undefined, hot)).toEqual({ memory: 'grow memory' });
    expect(propertiesProblems(less, rules, words)).toEqual({});
    const more = { ...draft, range: { ...draft.range!, staticMax: 3 * GiB, dynamicMin: 3 * GiB, dynamicMax: 3 * GiB } };
    expect(propertiesProblems(more, rules, words, undefined, hot)).toEqual({});
    expect(changesOf(hot, { ...more, vcpus: '4' }, rules)).toEqual({ vcpus: 4, memory: { sizeBytes: 3 * GiB } });
  });

  it('a template’s reservation of 0 and an unlimited limit are taken by the wizard (found by the template e2e)', () => {
    const label = (f: string) => f;
    const template = { id: 'template:vm-9', name: 'pv-tpl', makes: 'vm' as const, install: [], memory: { sizeBytes: 512 * 1024 ** 2, reservationBytes: 0, shares: 0 } };
    const draft = { ...emptyDraft('s'), templateId: template.id, name: 'vm1', vcpus: '1', memory: '512MiB', reservation: '0B', limit: '0', shares: '0' };
    expect(draftProblems(draft, { t: en, options: null, template, rules, label })).toEqual({});
    expect(specOf(draft, rules, template).memory).toMatchObject({ reservationBytes: 0, limitBytes: 0 });
    expect(draftProblems({ ...draft, memory: '0' }, { t: en, options: null, template, rules, label }).memory).toBe('“memory” must be more than zero.');
  });
});

describe('XAPI device codes in words', () => {
  it('each code a guest flow can meet reads in English and Chinese with its parameters', () => {
    const words = (t: typeof en, serverCode: string, serverParams: string[]) => serverCodeWords(t, { code: 'SERVER_ERROR', message: 'm', serverCode, serverParams });
    expect(words(en, 'VBD_NOT_EMPTY', ['OpaqueRef:vbd'])).toBe('The CD/DVD drive already holds a disc: eject it first.');
    expect(words(zh, 'VBD_NOT_EMPTY', ['OpaqueRef:vbd'])).toBe('CD/DVD 驱动器中已有光盘：请先弹出。');
    expect(words(en, 'DEVICE_ALREADY_EXISTS', ['1'])).toBe('The VM already has a device at position 1.');
    expect(words(zh, 'UUID_INVALID', ['VM', 'b7a1'])).toBe('服务器上没有 UUID 为 b7a1 的 VM。');
    expect(words(zh, 'VDI_IN_USE', ['OpaqueRef:vdi', 'resize'])).toContain('resize');
    expect(words(zh, 'SR_BACKEND_FAILURE_79', ['', 'VDI Invalid size [opterr=shrinking not allowed]', ''])).toBe('存储无法缩小磁盘：磁盘只能增大。');
    for (const code of KNOWN_SERVER_CODES) {
      const [e, z] = [words(en, code, ['a', 'b', 'c']), words(zh, code, ['a', 'b', 'c'])];
      expect(e, code).not.toContain(`guests.serverCode`);
      expect(z, code).not.toBe(e);
    }
  });
});

describe('vm show (CLI) says what hot add allows', () => {
  it('prints CPU / Memory Hot Add and what the running VM may take', () => {
    const props: GuestProperties = { nodeId: 'v:vm:vm-1', name: 'app', description: '', vcpus: 2, disks: [], nics: [], tags: [], isos: [], hotAdd: { cpu: true, memory: false } };
    expect(formatProperties(props)).toContain('Hot add:              CPU on, memory off (while running: more vCPUs)');
    expect(formatProperties({ ...props, hotAdd: { cpu: false, memory: false } })).toContain('(while running: neither vCPUs nor memory)');
    expect(formatProperties({ ...props, hotAdd: undefined })).not.toContain('Hot add');
  });
});

