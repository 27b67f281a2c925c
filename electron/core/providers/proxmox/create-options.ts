// What the New VM wizard may offer on a Proxmox VE cluster, read from every
// online node: VM and container templates (cloned), container templates on
// storage (vztmpl volumes, unpacked by pct create), an empty VM as PVE's own
// Create VM wizard makes one; storages for disks with their free space (local
// ones marked with their node), bridges, ISO images, and the nodes as homes.

import type { CreateOptions, IsoChoice, NetworkChoice, TemplateChoice } from '../../../../shared/guests';
import type { StorageChoice } from '../../../../shared/migration';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { readGuestConfig, readNetworks, readNodeStorages, readStorageContent, type NodeStorage } from './guest-answers';
import { disksOf, memoryOf, vcpusOf } from './guest-config';
import { guestId, guestName, hostId } from './model-map';

const GiB = 1024 ** 3;

/** Template ids: the provider's own, opaque to everything else. */
export const EMPTY_VM = 'empty:qemu';
export const templateOfGuest = (ref: string) => `guest:${ref}`;
export const templateOfVolume = (volid: string) => `ostemplate:${volid}`;

/** PVE's Create VM wizard: 1 core, 2 GiB, one 32 GiB disk; an OS from an ISO or a cloud-init image. */
const EMPTY_VM_CHOICE: TemplateChoice = {
  id: EMPTY_VM,
  name: 'New virtual machine',
  description: 'An empty KVM virtual machine, as Proxmox VE\'s "Create VM" makes one',
  makes: 'vm',
  vcpus: 1,
  memory: { sizeBytes: 2 * GiB },
  disks: [{ sizeBytes: 32 * GiB }],
  install: ['iso', 'cloud-init'],
};

/** A storage choice's id: the storage's name, prefixed by its node when it is local to one. */
export const storageChoiceId = (node: string, st: Pick<NodeStorage, 'storage' | 'shared'>) => (st.shared ? st.storage : `${node}/${st.storage}`);

export function parseStorageChoiceId(id: string): { node?: string; storage: string } {
  const slash = id.indexOf('/');
  return slash < 0 ? { storage: id } : { node: id.slice(0, slash), storage: id.slice(slash + 1) };
}

interface NodeOffer {
  node: string;
  storages: NodeStorage[];
  bridges: NetworkChoice[];
  volumes: Array<{ volid: string; content: string; size?: number; storage: string }>;
}

async function offerOf(client: PveClient, node: string): Promise<NodeOffer> {
  const base = `/nodes/${encodeURIComponent(node)}`;
  const [storages, interfaces] = await Promise.all([
    client.get(`${base}/storage`, readNodeStorages, { enabled: 1 }),
    client.get(`${base}/network`, readNetworks, { type: 'any_bridge' }),
  ]);
  const usable = storages.filter((st) => st.active);
  const lists = await Promise.all(
    usable
      .filter((st) => st.content.includes('iso') || st.content.includes('vztmpl'))
      .map(async (st) => (await client.get(`${base}/storage/${encodeURIComponent(st.storage)}/content`, readStorageContent)).map((v) => ({ ...v, storage: st.storage }))),
  );
  return {
    node,
    storages: usable,
    bridges: interfaces.filter((i) => i.type === 'bridge' || i.type === 'OVSBridge').map((i) => ({ id: i.iface, name: i.comments ? `${i.iface} (${i.comments})` : i.iface, ...(i.iface === 'vmbr0' ? { isDefault: true } : {}) })),
    volumes: lists.flat().filter((v) => v.content === 'iso' || v.content === 'vztmpl'),
  };
}

/** The ISO images a node's storages hold (what a VM's CD drive there may take). */
export async function nodeIsos(client: PveClient, node: string): Promise<IsoChoice[]> {
  return isoChoices((await offerOf(client, node)).volumes);
}

function isoChoices(volumes: NodeOffer['volumes']): IsoChoice[] {
  return firstBy(volumes.filter((v) => v.content === 'iso'), (v) => v.volid).map((v) => ({
    id: v.volid,
    name: v.volid.replace(/^.*\//, ''),
    storageName: v.storage,
    ...(v.size !== undefined ? { sizeBytes: v.size } : {}),
  }));
}

function firstBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

async function guestTemplates(client: PveClient, serverId: string, cache: ClusterCache, online: Set<string>): Promise<TemplateChoice[]> {
  const templates = cache
    .guestRefs()
    .map((ref) => ({ ref, g: cache.guest(ref)! }))
    .filter(({ g }) => (g.template === 1 || g.template === true) && online.has(g.node));
  return Promise.all(
    templates.map(async ({ ref, g }) => {
      const cfg = await client.get(`/nodes/${encodeURIComponent(g.node)}/${g.type}/${g.vmid}/config`, readGuestConfig);
      const hasCloudInit = Object.values(cfg).some((v) => /vm-\d+-cloudinit/.test(String(v)));
      const vcpus = vcpusOf(g.type, cfg);
      return {
        id: templateOfGuest(ref),
        nodeId: guestId(serverId, g),
        name: guestName(g),
        ...(typeof cfg.description === 'string' && cfg.description ? { description: cfg.description } : {}),
        makes: g.type === 'qemu' ? 'vm' : 'container',
        ...(vcpus !== undefined ? { vcpus } : {}),
        memory: memoryOf(g.type, cfg),
        disks: disksOf(g.type, cfg).map((d) => ({ sizeBytes: d.sizeBytes, name: d.device })),
        install: hasCloudInit ? ['cloud-init'] : [],
        copiesDisks: true,
      } satisfies TemplateChoice;
    }),
  );
}

export async function proxmoxCreateOptions(client: PveClient, serverId: string, cache: ClusterCache): Promise<Omit<CreateOptions, 'serverId'>> {
  const hosts = cache.hostFacts().filter((h) => h.online);
  const online = new Set(hosts.map((h) => h.name));
  const [offers, fromGuests] = await Promise.all([Promise.all(hosts.map((h) => offerOf(client, h.name))), guestTemplates(client, serverId, cache, online)]);
  const volumes = offers.flatMap((o) => o.volumes);
  const ostemplates: TemplateChoice[] = firstBy(volumes.filter((v) => v.content === 'vztmpl'), (v) => v.volid).map((v) => ({
    id: templateOfVolume(v.volid),
    name: v.volid.replace(/^.*\//, '').replace(/\.tar\.\w+$/, ''),
    description: `Container template ${v.volid}`,
    makes: 'container',
    vcpus: 1,
    memory: { sizeBytes: 512 * 1024 * 1024 },
    disks: [{ sizeBytes: 8 * GiB }],
    install: [],
  }));
  const isos = isoChoices(volumes);
  const storages: StorageChoice[] = firstBy(
    offers.flatMap((o) =>
      o.storages
        .filter((st) => st.content.includes('images') || st.content.includes('rootdir'))
        .map((st) => ({
          id: storageChoiceId(o.node, st),
          name: st.storage,
          ...(st.avail !== undefined ? { freeBytes: st.avail } : {}),
          ...(st.total !== undefined ? { capacityBytes: st.total } : {}),
          shared: st.shared,
          ...(st.shared ? {} : { hostId: hostId(serverId, o.node) }),
        })),
    ),
    (s) => s.id,
  );
  return {
    templates: [EMPTY_VM_CHOICE, ...fromGuests, ...ostemplates],
    hosts: hosts.map((h) => ({ hostId: hostId(serverId, h.name), name: h.name, freeMemoryBytes: Math.max(0, h.maxmem - h.mem) })),
    storages,
    networks: firstBy(offers.flatMap((o) => o.bridges), (n) => n.id),
    isos,
    ...(hosts.length ? { maxMemoryBytes: Math.max(...hosts.map((h) => h.maxmem)) } : {}),
  };
}
