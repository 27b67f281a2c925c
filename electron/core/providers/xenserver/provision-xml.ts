// A template's disks as xapi keeps them for VM.provision: other_config "disks" =
// <provision><disk device="0" size="8589934592" sr="" bootable="true" type="system"/></provision>.
// Built-in templates leave sr empty; a client writes the SR's uuid (and may change
// the size) into the new VM's copy before it provisions, as xe's
// rewrite_provisioning_xml and XenCenter do.

export interface ProvisionDisk {
  device: string;
  size: number;
  /** an SR uuid, '' = not chosen yet */
  sr: string;
  bootable: boolean;
  type: string;
}

export function readProvisionXml(xml: string): ProvisionDisk[] {
  const out: ProvisionDisk[] = [];
  for (const m of xml.matchAll(/<disk((?:\s+\w+="[^"]*")*)\s*\/?>/g)) {
    const attrs = new Map([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, unescape(a[2]!)]));
    const size = Number(attrs.get('size'));
    if (!Number.isFinite(size)) continue;
    out.push({
      device: attrs.get('device') ?? String(out.length),
      size,
      sr: attrs.get('sr') ?? '',
      bootable: attrs.get('bootable') === 'true',
      type: attrs.get('type') ?? 'system',
    });
  }
  return out;
}

export function writeProvisionXml(disks: ProvisionDisk[]): string {
  const items = disks.map(
    (d) => `<disk device="${escape(d.device)}" size="${Math.round(d.size)}" sr="${escape(d.sr)}" bootable="${d.bootable}" type="${escape(d.type)}"/>`,
  );
  return `<provision>${items.join('')}</provision>`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}
