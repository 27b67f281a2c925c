// The CLI: the app's core without a window. Same
// profile (POLYVISOR_HOME), same saved servers, same keychain and pins, so a
// running app and the CLI see the same servers. Non-interactive: results on
// stdout, progress and errors on stderr, non-zero exit code on failure.

import type { ServerDraft, ServerView } from '../../shared/contract';
import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import { createAppCore, type PolyvisorCore } from '../core/app-core';
import { resolveHome } from '../core/profile';
import { readAppVersion } from '../core/util/app-version';
import { defaultRunnerCommand, thisProcessCommand } from '../core/schedules/os-timer/runner-command';
import { builtinProviders } from '../core/providers/builtin';
import type { ProviderFactory } from '../core/providers/provider';
import { parseCommand, usageText, type Command, type ConnectOptions } from './args';
import { formatServers, formatSnapshots, formatTree } from './format';
import { executeSchedule } from './schedule-commands';
import { executeMigration } from './migration-commands';
import { executePool } from './pool-commands';
import { executeStorage } from './storage-commands';
import { executeNetwork } from './network-commands';
import { executeViews } from './view-commands';
import { executeSearchFiles } from './search-file-commands';
import { formatGroups, groupsJson, viewGroups } from './view-inventory';
import { executeAccess } from './access-commands';
import { executeMetrics } from './metrics-commands';
import { executeGrid } from './grid-commands';
import { executeConsole } from './console-commands';
import { executeNotifications } from './notification-commands';
import { executeThresholds } from './threshold-commands';
import { executeGuest } from './guest-commands';
import { executeHousekeeping } from './image-commands';
import { readPassword } from './password';
import { connectServers, inventoryFor, snapshotScope } from './connect';
import { printCachedInventory } from './cached-inventory';
import { findNode, findServer, GUEST_KINDS, snapshotsOf, describeNode } from './resolve';
import { CliSession, formatError } from './session';

type Core = PolyvisorCore;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/** `providers`: the build's providers (tests add their own). */
export async function runCli(argv: string[], providers: readonly ProviderFactory[] = builtinProviders): Promise<number> {
  const descriptors = providers.map((p) => p.descriptor);
  let command: Command;
  try {
    command = parseCommand(argv, descriptors);
  } catch (e) {
    err(`polyvisor: ${toErrorInfo(e).message}`);
    return EXIT_USAGE;
  }
  if (command.name === 'help') {
    out(usageText(descriptors));
    return EXIT_OK;
  }
  if (command.name === 'version') {
    out(readAppVersion());
    return EXIT_OK;
  }

  let core: Core | undefined;
  try {
    // the OS timer runs this same CLI: the package's bin/polyvisor.js, or the script this process runs
    const runnerCommand = defaultRunnerCommand() ?? thisProcessCommand();
    core = await createAppCore('cli', { home: resolveHome(), version: readAppVersion(), providers, schedules: { runnerCommand } });
    // no core.start(): the CLI connects only the servers a command needs
    for (const problem of (await core.invoke('app:info')).storeProblems) {
      err(`Warning: ${problem.file} could not be read (${problem.message}); it was kept as ${problem.keptAs}.`);
    }
    const session = new CliSession(core, err);
    await execute(command, core, session);
    return EXIT_OK;
  } catch (e) {
    reportError(toErrorInfo(e));
    return EXIT_FAILURE;
  } finally {
    // the command's outcome is decided; a failure to disconnect cleanly must not change the exit code
    await core?.stop().catch(() => undefined);
  }
}

async function execute(command: Exclude<Command, { name: 'help' | 'version' }>, core: Core, session: CliSession): Promise<void> {
  switch (command.name) {
    case 'server add':
      return addServer(command, core, session);
    case 'server list': {
      const servers = await session.servers();
      out(command.json ? JSON.stringify(servers, null, 2) : formatServers(servers));
      return;
    }
    case 'server remove': {
      const server = findServer(await session.servers(), command.server);
      await core.invoke('servers:remove', server.id);
      err(`Removed ${server.name} (${server.id}).`);
      return;
    }
    case 'server trust': {
      const server = findServer(await session.servers(), command.server);
      await session.connectOne(server, { password: await readPassword(command.password), acceptFingerprint: command.fingerprint });
      err(`${server.name} (${server.host}:${server.port}) is connected with the certificate ${command.fingerprint}.`);
      return;
    }
    case 'inventory': {
      if (command.cached) return printCachedInventory(command, session, out, err);
      const { failures, servers } = await connectServers(command, session);
      const ids = new Set(servers.map((s) => s.id));
      const shown = (await session.inventory()).filter((n) => ids.has(n.serverId));
      if (command.view !== 'infrastructure') {
        const groups = await viewGroups(command.view, shown, core, (id) => servers.find((s) => s.id === id)?.name);
        out(command.json ? JSON.stringify(groupsJson(groups), null, 2) : formatGroups(groups) || 'Nothing in this view.');
      } else out(command.json ? JSON.stringify(shown, null, 2) : formatTree(shown, { templates: command.templates }) || 'The inventory is empty.');
      for (const f of failures.slice(1)) err(`polyvisor: ${f.server.name}: ${formatError(f.error)}`);
      if (failures.length > 0) throw new PolyvisorError({ ...failures[0].error, message: `${failures[0].server.name}: ${failures[0].error.message}` });
      return;
    }
    case 'snapshot list': {
      const listed = await inventoryFor(command, session);
      const { nodes, vm } = await session.withSnapshotList(listed, findNode(listed, command.vm, GUEST_KINDS, 'VM'));
      const snapshots = snapshotsOf(nodes, vm);
      out(command.json ? JSON.stringify(snapshots, null, 2) : formatSnapshots(snapshots, vm.currentSnapshotId));
      return;
    }
    case 'snapshot create': {
      const nodes = await inventoryFor(command, session);
      const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
      const [task] = await session.run(
        {
          nodeIds: [vm.id],
          action: 'snapshot_create',
          params: { name: command.snapshotName, description: command.description, memory: command.memory, quiesce: command.quiesce },
        },
        (t) => `Snapshot "${command.snapshotName}" of ${t.targetName}`,
      );
      out(task.resultId ?? '');
      return;
    }
    case 'snapshot revert':
    case 'snapshot delete': {
      const { nodes, scope } = await snapshotScope(command, session);
      const snapshot = findNode(scope, command.snapshot, ['snapshot'], 'snapshot');
      const action = command.name === 'snapshot revert' ? 'snapshot_revert' : 'snapshot_delete';
      const verb = action === 'snapshot_revert' ? 'Revert to' : 'Delete';
      await session.run({ nodeIds: [snapshot.id], action }, () => `${verb} snapshot ${describeNode(snapshot, nodes)}`);
      return;
    }
    case 'snapshot rename':
    case 'snapshot clone': {
      const { nodes, scope } = await snapshotScope(command, session);
      const snapshot = findNode(scope, command.snapshot, ['snapshot'], 'snapshot');
      if (command.name === 'snapshot rename') {
        await session.run(
          { nodeIds: [snapshot.id], action: 'snapshot_edit', params: { name: command.newName, description: command.description } },
          () => `Change snapshot ${describeNode(snapshot, nodes)}`,
        );
        return;
      }
      const [task] = await session.run({ nodeIds: [snapshot.id], action: 'snapshot_clone', params: { name: command.newName } }, () => `New VM "${command.newName}" from snapshot ${snapshot.name}`);
      out(task.resultId ?? '');
      return;
    }
    case 'power': {
      const nodes = await inventoryFor(command, session);
      const vms = command.vms.map((q) => findNode(nodes, q, ['vm', 'container'], 'VM'));
      await session.run({ nodeIds: vms.map((v) => v.id), action: command.action }, (t) => `${command.action} ${t.targetName}`);
      return;
    }
    case 'migrate':
    case 'container move':
    case 'host maintenance':
    case 'host evacuate':
    case 'host reboot':
    case 'host shutdown':
    case 'host power-on':
      return executeMigration(command, core, session, { out, err });
    case 'pool join':
    case 'pool eject':
      return executePool(command, core, session, { out, err });
    case 'storage list':
    case 'storage show':
    case 'storage rescan':
    case 'disk move':
    case 'disk add':
    case 'disk attach':
    case 'disk resize':
    case 'disk detach':
      return executeStorage(command, core, session, { out, err });
    case 'network list':
    case 'network show':
    case 'network create':
    case 'network delete':
    case 'network subnet add':
    case 'network subnet remove':
    case 'nic list':
    case 'nic add':
    case 'nic remove':
    case 'nic set-network':
      return executeNetwork(command, core, session, { out, err });
    case 'metrics':
      return executeMetrics(command, core, session, { out, err });
    case 'grid':
      return executeGrid(command, core, session, { out, err });
    case 'users list':
    case 'users add':
    case 'users role':
    case 'users remove':
    case 'users logout':
    case 'domain join':
    case 'domain leave':
    case 'whoami':
      return executeAccess(command, core, session, { out, err });
    case 'console':
      return executeConsole(command, core, session, { out, err });
    case 'alerts':
    case 'alerts dismiss':
    case 'tasks':
      return executeNotifications(command, core, session, { out, err });
    case 'thresholds list':
    case 'thresholds add':
    case 'thresholds enable':
    case 'thresholds disable':
    case 'thresholds remove':
      return executeThresholds(command, core, session, { out, err });
    case 'vm create':
    case 'vm clone':
    case 'vm delete':
    case 'vm set':
    case 'vm template':
    case 'vm show':
    case 'container create':
      return executeGuest(command, core, session, { out, err });
    case 'image list':
    case 'image pull':
    case 'image remove':
    case 'image prune':
    case 'volume list':
    case 'volume remove':
    case 'volume prune':
      return executeHousekeeping(command, core, session, { out, err });
    case 'tag list':
    case 'tag add':
    case 'tag remove':
    case 'folder list':
    case 'folder move':
    case 'folder rename':
    case 'folder create':
    case 'folder delete':
    case 'search':
      return executeViews(command, core, session, { out, err });
    case 'searches list':
    case 'searches import':
    case 'searches export':
      return executeSearchFiles(command, core, session, { out, err });
    default:
      return executeSchedule(command, core, session, { out, err });
  }
}

async function addServer(command: Extract<Command, { name: 'server add' }>, core: Core, session: CliSession): Promise<void> {
  const password = await readPassword(command.password);
  const draft: ServerDraft = {
    type: command.type,
    host: command.host,
    port: command.port,
    username: command.username,
    name: command.displayName,
    password: command.remember ? password : undefined,
    rememberPassword: command.remember && password !== undefined,
    options: command.options,
  };
  const added = await core.invoke('servers:add', draft);
  if (!command.connect) {
    if (command.acceptFingerprint) err('Note: --no-connect: the certificate was not checked, so nothing was pinned.');
    out(added.id);
    return;
  }
  try {
    await session.connectOne(added, { password: command.remember ? undefined : password, acceptFingerprint: command.acceptFingerprint });
  } catch (e) {
    // an add that cannot connect leaves nothing behind, so the same command can be re-run
    await core.invoke('servers:remove', added.id).catch((removeError: unknown) => err(`Warning: the half-added server could not be removed: ${toErrorInfo(removeError).message}`));
    const info = toErrorInfo(e);
    if (info.code === 'CERT_UNTRUSTED' && info.certificate) {
      info.message += `\nSHA-256 fingerprint: ${info.certificate.fingerprint256}\nIf this is the right server, add it again with:  --accept-fingerprint ${info.certificate.fingerprint256}`;
    }
    throw new PolyvisorError(info);
  }
  const view = (await session.servers()).find((s) => s.id === added.id) ?? added;
  err(`Added ${view.name} (${view.type} ${view.host}:${view.port}); connected.`);
  if (command.remember && password !== undefined && !view.hasStoredPassword) {
    const { keychain } = await core.invoke('app:info');
    err(`Warning: the password was not saved: ${keychain.message ?? 'the OS keychain is not available'}. Give --password-stdin or --password-env to later commands.`);
  }
  out(added.id);
}

function reportError(error: ErrorInfo): void {
  err(`polyvisor: ${formatError(error)}`);
  if (error.code === 'CERT_UNTRUSTED' && error.certificate && !error.message.includes(error.certificate.fingerprint256)) {
    err(`SHA-256 fingerprint: ${error.certificate.fingerprint256}`);
  }
  if (error.code === 'CERT_CHANGED' && error.certificate) {
    err(`Pinned:    ${error.pinnedFingerprint ?? '?'}\nPresented: ${error.certificate.fingerprint256}`);
  }
  if (error.code === 'PASSWORD_REQUIRED') {
    err('No password is stored for this server: pass it with --password-stdin or --password-env VAR.');
  }
  if (error.code === 'KEYCHAIN_UNAVAILABLE') {
    err('The OS keychain is not available: add the server with --no-remember and pass the password with --password-stdin each time.');
  }
}
