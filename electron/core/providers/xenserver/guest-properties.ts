// A VM's settings as XenCenter's Properties dialog reads them: vCPUs (now and the
// most without a restart, VCPUs_max), memory (static and dynamic limits, what the
// guest has now from VM_metrics), disks with their SR, network interfaces with
// their network, MAC and the addresses the guest agent reports, the CD drive,
// the HVM boot order (c = DVD drive, d = hard disk, n = network), start with the
// pool (other_config auto_poweron) and tags.

import type { GuestDisk, GuestNic, GuestProperties } from '../../../../shared/guests';
import type { ActionContext } from './actions';
import { memoryOf, readIsos } from './guest-choices';
import { bool, isRef, map, num, refs, str, type XapiRecord } from './records';

const BOOT_DEVICES: Record<string, string> = { c: 'cd', d: 'disk', n: 'network' };

export function bootOrderWords(order: string): string[] {
  return [...order].map((c) => BOOT_DEVICES[c.toLowerCase()]).filter((w): w is string => w !== undefined);
}

export function bootOrderLetters(words: string[]): string {
  const letters = Object.fromEntries(Object.entries(BOOT_DEVICES).map(([letter, word]) => [word, letter]));
  return words.map((w) => letters[w] ?? '').join('');
}

export async function readProperties(ctx: ActionContext, vm: string): Promise<Omit<GuestProperties, 'nodeId'>> {
  const session = ctx.session();
  const record = map(await session.call('VM.get_record', vm));
  const running = str(record.power_state) !== 'Halted';
  const metrics = running && isRef(record.metrics) ? map(await session.call('VM_metrics.get_record', record.metrics)) : undefined;
  const guest = isRef(record.guest_metrics) ? map(await session.call('VM_guest_metrics.get_record', record.guest_metrics)) : undefined;
  const { disks, cd } = await readDrives(ctx, record);
  const other = map(record.other_config);
  const hvm = str(record.HVM_boot_policy) !== '';
  const actual = metrics ? num(metrics.memory_actual) : null;
  return {
    name: str(record.name_label),
    description: str(record.name_description),
    vcpus: num(record.VCPUs_at_startup) ?? undefined,
    vcpusMax: num(record.VCPUs_max) ?? undefined,
    memory: { ...memoryOf(record), ...(actual !== null ? { actualBytes: actual } : {}) },
    disks,
    nics: await readNics(ctx, record, guest),
    ...(cd ? { cd } : {}),
    ...(hvm ? { bootOrder: bootOrderWords(str(map(record.HVM_boot_params).order)) } : {}),
    autoStart: bool(other.auto_poweron),
    tags: refs(record.tags),
    isos: await readIsos(ctx),
  };
}

async function readDrives(ctx: ActionContext, record: XapiRecord): Promise<{ disks: GuestDisk[]; cd?: GuestProperties['cd'] }> {
  const session = ctx.session();
  const vbds = await Promise.all(refs(record.VBDs).map((ref) => session.call('VBD.get_record', ref).then(map)));
  vbds.sort((a, b) => Number(str(a.userdevice)) - Number(str(b.userdevice)));
  const disks: GuestDisk[] = [];
  let cd: GuestProperties['cd'];
  for (const vbd of vbds) {
    const vdi = isRef(vbd.VDI) && !bool(vbd.empty) ? map(await session.call('VDI.get_record', vbd.VDI)) : undefined;
    if (str(vbd.type) === 'CD') {
      cd ??= vdi ? { isoId: vbd.VDI as string, isoName: str(vdi.name_label) } : { isoId: null };
      continue;
    }
    if (!vdi) continue;
    const storageName = isRef(vdi.SR) ? str(await session.call('SR.get_name_label', vdi.SR)) : undefined;
    disks.push({
      id: vbd.VDI as string,
      name: str(vdi.name_label),
      sizeBytes: num(vdi.virtual_size) ?? 0,
      ...(storageName !== undefined ? { storageName } : {}),
      device: str(vbd.device) || deviceName(str(vbd.userdevice)),
    });
  }
  return { disks, cd };
}

/** xvda, xvdb, … for device positions 0, 1, … (the name xapi gives an attached disk) */
function deviceName(userdevice: string): string {
  const n = Number(userdevice);
  return Number.isInteger(n) && n >= 0 && n < 26 ? `xvd${String.fromCharCode(97 + n)}` : userdevice;
}

async function readNics(ctx: ActionContext, record: XapiRecord, guest: XapiRecord | undefined): Promise<GuestNic[]> {
  const session = ctx.session();
  const networks = map(guest?.networks);
  const vifs = await Promise.all(refs(record.VIFs).map(async (ref) => ({ ref, vif: map(await session.call('VIF.get_record', ref)) })));
  vifs.sort((a, b) => Number(str(a.vif.device)) - Number(str(b.vif.device)));
  return Promise.all(
    vifs.map(async ({ ref, vif }) => {
      const device = str(vif.device);
      // the guest agent reports "<device>/ip", "<device>/ipv4/<n>", "<device>/ipv6/<n>"
      const ips = Object.keys(networks)
        .filter((k) => k === `${device}/ip` || k.startsWith(`${device}/ipv4/`) || k.startsWith(`${device}/ipv6/`))
        .sort()
        .map((k) => str(networks[k]))
        .filter((ip, i, all) => ip !== '' && all.indexOf(ip) === i);
      const networkName = isRef(vif.network) ? str(await session.call('network.get_name_label', vif.network)) : '';
      return { id: ref, networkName, mac: str(vif.MAC), ips, device };
    }),
  );
}
