// New VMs from templates as xapi makes them:
//   VM.copy            a full copy (disks copied, not cloned) to an SR, or each disk on its own SR
//   VM.provision       Xapi_vm.provision: the VM stops being a template ("install time"), then
//                      Xapi_templates.pre_install makes the disks its other_config "disks" XML
//                      describes (<provision><disk device size sr bootable type/></provision>,
//                      sr = the SR's uuid, as clients rewrite it: "" does not name one), and
//                      post_install removes that key so the VM is not provisioned twice; a disk
//                      that cannot be made undoes the ones made before it.
//   VM.set_is_a_template  true takes the make_into_template operation (halted VMs); false is
//                      plain (what provision does first; `xe vm-param-set is-a-template=false`)
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { assertRoom, createVbd, createVdi } from './devices';
import { copySpace, copyVm } from './vm-copies';
import { refreshVm, SESSION, VM, vmOp } from './vm';
import { assertVmOperation } from './vm-rules';
import { unescapeXml } from '../xmlrpc';

const CLONE_ERRORS = ['VM_BAD_POWER_STATE', 'SR_FULL', 'OPERATION_NOT_ALLOWED', 'LICENCE_RESTRICTION'];

export interface ProvisionDisk {
  device: string;
  size: number;
  sr: string;
  bootable: boolean;
  type: string;
}

/** Xapi_templates.disks_of_xml: the <disk/> elements of other_config "disks". */
export function provisionDisks(otherConfig: Record<string, unknown>): ProvisionDisk[] {
  const xml = otherConfig.disks;
  if (typeof xml !== 'string' || xml === '') return [];
  if (!/^\s*<provision>[\s\S]*<\/provision>\s*$|^\s*<provision\s*\/>\s*$/.test(xml)) throw parseFailure();
  const disks: ProvisionDisk[] = [];
  for (const m of xml.matchAll(/<disk((?:\s+\w+="[^"]*")*)\s*\/>/g)) {
    const attrs = new Map([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)]));
    const [device, size, sr, bootable] = ['device', 'size', 'sr', 'bootable'].map((k) => attrs.get(k));
    if (device === undefined || size === undefined || sr === undefined || bootable === undefined || !/^\d+$/.test(size)) throw parseFailure();
    disks.push({ device, size: Number(size), sr, bootable: bootable === 'true', type: attrs.get('type') ?? 'system' });
  }
  return disks;
}

function parseFailure(): XapiFailure {
  return new XapiFailure('INTERNAL_ERROR', 'Xapi_templates.Parse_failure');
}

function provision(core: SimCore, vm: string): void {
  const r = core.db.get('VM', vm)!;
  core.db.update('VM', vm, { is_a_template: false, is_default_template: false });
  if (core.db.get('VM_metrics', r.metrics as string)) core.db.set('VM_metrics', r.metrics as string, 'install_time', core.now());
  const disks = provisionDisks(r.other_config as Record<string, unknown>);
  const srs = disks.map((d) => {
    const sr = core.db.byUuid('SR', d.sr);
    if (!sr) throw new XapiFailure('UUID_INVALID', 'sr', d.sr);
    return sr;
  });
  const need = new Map<string, number>();
  disks.forEach((d, i) => need.set(srs[i]!, (need.get(srs[i]!) ?? 0) + d.size));
  const made: Array<{ vbd: string; vdi: string }> = [];
  try {
    assertRoom(core, need);
    disks.forEach((d, i) => {
      const vdi = createVdi(core, {
        name_label: '',
        name_description: 'Created by template provisioner',
        SR: srs[i],
        virtual_size: d.size,
        type: d.type,
        sm_config: { vmhint: r.uuid },
      });
      const vbd = createVbd(core, { VM: vm, VDI: vdi, userdevice: d.device, bootable: d.bootable, mode: 'RW', type: 'Disk', unpluggable: d.type !== 'system', empty: false, other_config: { owner: '' } });
      made.push({ vbd, vdi });
      core.db.set('VDI', vdi, 'name_label', core.db.get('VBD', vbd)!.userdevice);
    });
  } catch (e) {
    // "If an error occurs after this then delete the created VDIs, VBDs..."
    for (const { vbd, vdi } of made) {
      if (core.db.get('VBD', vbd)) core.db.remove('VBD', vbd);
      if (core.db.get('VDI', vdi)) core.db.remove('VDI', vdi);
    }
    throw e;
  }
  const otherConfig = { ...(core.db.get('VM', vm)!.other_config as XapiRecord) };
  delete otherConfig.disks;
  delete otherConfig.postinstall;
  core.db.set('VM', vm, 'other_config', otherConfig);
}

export function registerVmProvisionMethods(core: SimCore): void {
  core.register({
    ...vmOp(
      'VM.copy',
      'copy',
      [SESSION, VM, ['string', 'new_name'], ['SR ref', 'sr']],
      CLONE_ERRORS,
      ({ core: c }, vm, args) => {
        const copy = copyVm(c, vm, 'clone', { name: args[2] as string, fullCopyTo: args[3] as string });
        refreshVm(c, copy);
        return copy;
      },
      ({ core: c }, vm, args) => {
        assertVmOperation(c, vm, 'copy');
        const sr = args[3] as string;
        if (sr !== NULL_REF && !c.db.get('SR', sr)) throw new XapiFailure('HANDLE_INVALID', 'SR', sr);
        assertRoom(c, copySpace(c, vm, sr));
      },
    ),
    // OpaqueRef:NULL: each disk is copied on its own SR
    uncheckedRefs: ['sr'],
  });
  core.register(
    vmOp('VM.provision', 'provision', [SESSION, VM], CLONE_ERRORS, ({ core: c }, vm) => provision(c, vm), ({ core: c }, vm) => {
      const r = assertVmOperation(c, vm, 'provision');
      if (!r.is_a_template || r.is_a_snapshot) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'provision needs a template');
    }),
  );
  core.register({
    name: 'VM.set_is_a_template',
    params: [SESSION, ['VM ref', 'self'], ['bool', 'value']],
    errors: [],
    run: ({ core: c }, [, vm, value]) => {
      const r = c.db.get('VM', vm as string)!;
      if (value === true && !r.is_a_template) {
        assertVmOperation(c, vm as string, 'make_into_template');
        c.db.update('VM', vm as string, { is_a_template: true, affinity: NULL_REF });
      } else if (value === false && r.is_a_template) {
        if (r.is_a_snapshot) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'a snapshot cannot become a VM; clone it instead');
        c.db.update('VM', vm as string, { is_a_template: false, is_default_template: false });
        if (c.db.get('VM_metrics', r.metrics as string)) c.db.set('VM_metrics', r.metrics as string, 'install_time', c.now());
      }
      refreshVm(c, vm as string);
      return undefined;
    },
  });
}
