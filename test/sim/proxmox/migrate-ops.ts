// Moving a guest to another node as PVE does: the checks the API makes before it
// forks (refused with HTTP 400/500), then a qmigrate/vzmigrate worker whose log
// tells the phases and whose failures read as in QemuMigrate/LXC::Migrate
// ("migration aborted", "migration problems"). The guest changes node at the end.

import { ParamError } from './params';
import { SimHttpError, label } from './guest-ops';
import { freeMemory, localResources, localVolumes, storageOnNode, unavailableStorages, type GuestVolume } from './migrate-checks';
import type { ClusterState, SimGuest, SimNode } from './state';
import type { TaskManager, TaskWork } from './tasks';

export interface MigrateRequest {
  target: string;
  online: boolean;
  /** lxc: restart mode (stop, move, start) */
  restart: boolean;
  withLocalDisks: boolean;
  force: boolean;
  /** qemu `targetstorage`, lxc `target-storage`: one storage id for all, or '1' for the same ids */
  targetStorage?: string;
}

export interface StartedMigration {
  type: string;
  work: TaskWork;
}

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The API's own checks before it forks the worker; throws as PVE answers. */
export function checkMigrateRequest(s: ClusterState, g: SimGuest, req: MigrateRequest): SimNode {
  if (req.target === g.node) throw new ParamError({ target: 'target is local node.' });
  const target = s.node(req.target);
  if (!target) throw new SimHttpError(500, `no such cluster node '${req.target}'`);
  if (g.lock) throw new SimHttpError(500, `${label(g)} is locked (${g.lock})`);
  if (g.status === 'running') {
    if (g.type === 'qemu' && !req.online) throw new SimHttpError(500, "can't migrate running VM without --online");
    if (g.type === 'lxc' && !req.online && !req.restart) throw new SimHttpError(500, "can't migrate running container without --online or --restart");
  }
  const storages = req.targetStorage && req.targetStorage !== '1' ? [req.targetStorage] : unavailableStorages(s, g, target.name);
  for (const storage of storages) {
    if (!storageOnNode(s, storage, target.name)) throw new SimHttpError(500, `storage '${storage}' is not available on node '${target.name}'`);
  }
  return target;
}

/** Why the worker would fail, in the order QemuMigrate/LXC::Migrate finds it; null when it succeeds. */
function failureOf(s: ClusterState, g: SimGuest, target: SimNode, req: MigrateRequest): { lines: string[]; exit: string } | null {
  const aborted = (why: string) => ({ lines: [`${stamp()} ERROR: migration aborted (duration 00:00:01): ${why}`], exit: 'migration aborted' });
  const running = g.status === 'running';
  if (g.type === 'lxc' && running && req.online && !req.restart) return aborted('lxc live migration is currently not implemented');
  const devices = localResources(g);
  if (devices.length && (running || !req.force)) return aborted(`can't migrate VM which uses local devices: ${devices.join(', ')}`);
  if (!target.online) return aborted("Can't connect to destination address using public key");
  if (g.type === 'qemu' && running && localVolumes(s, g).length && !req.withLocalDisks) {
    return aborted("can't live migrate attached local disks without with-local-disks option");
  }
  if (g.type === 'qemu' && running && freeMemory(s, target) < g.maxmem) {
    return {
      lines: [
        `${stamp()} starting VM ${g.vmid} on remote node '${target.name}'`,
        `${stamp()} [${target.name}] kvm: cannot set up guest memory 'pc.ram': Cannot allocate memory`,
        `${stamp()} [${target.name}] start failed: QEMU exited with code 1`,
        `${stamp()} ERROR: online migrate failure - remote command failed with exit code 255`,
        `${stamp()} aborting phase 2 - cleanup resources`,
        `${stamp()} ERROR: migration finished with problems (duration 00:00:02)`,
      ],
      exit: 'migration problems',
    };
  }
  return null;
}

function progressLines(g: SimGuest, target: SimNode, local: GuestVolume[], running: boolean): string[] {
  const out: string[] = [];
  for (const v of local) out.push(`${stamp()} found local ${g.type === 'qemu' ? 'disk' : 'volume'} '${v.volid}' (${g.type === 'qemu' ? 'attached' : 'in current VM config'})`);
  if (g.type === 'lxc') {
    out.push(`${stamp()} start final cleanup`);
    if (running) out.push(`${stamp()} start container on target node`);
    return out;
  }
  if (!running) {
    if (local.length) out.push(`${stamp()} copying local disk images`);
    return out;
  }
  out.push(`${stamp()} starting VM ${g.vmid} on remote node '${target.name}'`, `${stamp()} start remote tunnel`, `${stamp()} ssh tunnel ver 1`);
  for (const v of local) out.push(`${stamp()} drive-${v.key}: transferred ${gib(v.size)} of ${gib(v.size)} (100.00%) in 2s, ready`);
  out.push(
    `${stamp()} starting online/live migration on unix:/run/qemu-server/${g.vmid}.migrate`,
    `${stamp()} migration active, transferred ${gib(g.maxmem * 0.3)} of ${gib(g.maxmem)} VM-state, 1.1 GiB/s`,
    `${stamp()} migration active, transferred ${gib(g.maxmem * 0.8)} of ${gib(g.maxmem)} VM-state, 1.1 GiB/s`,
    `${stamp()} average migration speed: 1.1 GiB/s - downtime 42 ms`,
    `${stamp()} migration status: completed`,
  );
  return out;
}

/** Moves the guest's volumes to the mapped storage (`targetstorage` with one id). */
function mapVolumes(g: SimGuest, local: GuestVolume[], targetStorage: string | undefined): void {
  if (!targetStorage || targetStorage === '1') return;
  for (const v of local) g.config[v.key] = String(g.config[v.key]).replace(/^[^:]+:/, `${targetStorage}:`);
}

/** Checks the request (throwing as the API does) and returns the worker that moves the guest. */
export function migrateWork(s: ClusterState, g: SimGuest, req: MigrateRequest): StartedMigration {
  const target = checkMigrateRequest(s, g, req);
  const wasRunning = g.status === 'running';
  const failure = failureOf(s, g, target, req);
  const local = localVolumes(s, g);
  const head = `${stamp()} starting migration of ${label(g)} ${g.vmid} to node '${target.name}' (${target.ip})`;
  const lines = g.type === 'lxc' && wasRunning && !failure ? [`${stamp()} shutdown CT ${g.vmid}`, head] : [head];
  lines.push(...(failure ? failure.lines : progressLines(g, target, local, wasRunning)));
  if (!failure) lines.push(`${stamp()} migration finished successfully (duration 00:00:0${Math.min(9, lines.length)})`);
  const restartMode = g.type === 'lxc' && wasRunning;
  return {
    type: g.type === 'qemu' ? 'qmigrate' : 'vzmigrate',
    work: {
      begin() {
        if (g.lock) throw new Error(`${label(g)} is locked (${g.lock})`);
        g.lock = 'migrate';
      },
      midway: restartMode && !failure ? () => stopGuest(g) : undefined,
      finish() {
        if (failure) throw new Error(failure.exit);
        mapVolumes(g, local, req.targetStorage);
        g.node = target.name;
        g.lock = undefined;
        g.configVersion++;
        if (restartMode) {
          g.status = 'running';
          g.startedAt = Date.now();
        }
      },
      abort() {
        if (g.lock === 'migrate') g.lock = undefined;
        // a restart migration stopped midway starts the container again where it was
        if (restartMode && g.status === 'stopped') {
          g.status = 'running';
          g.startedAt = Date.now();
        }
      },
      lines,
    },
  };
}

function stopGuest(g: SimGuest): void {
  g.status = 'stopped';
  g.startedAt = undefined;
}

/** Starts the worker on the guest's node; returns its UPID. */
export function startMigration(s: ClusterState, tasks: TaskManager, user: string, g: SimGuest, req: MigrateRequest): string {
  const { type, work } = migrateWork(s, g, req);
  return tasks.start(g.node, type, String(g.vmid), user, work).upid;
}
