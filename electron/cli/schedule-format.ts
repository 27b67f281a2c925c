// Text output of `polyvisor schedule …`: the policy table, a run history, the OS
// timer's status. JSON output is the contract's own objects.

import type { RunnerStatus, ServerView } from '../../shared/contract';
import type { PolicyFrequency, PolicyRun, SnapshotPolicy } from '../../shared/schedules';
import { table } from './format';
import { formatError } from './session';

const two = (n: number) => String(n).padStart(2, '0');

export function describeFrequency(f: PolicyFrequency): string {
  switch (f.every) {
    case 'hourly':
      return `hourly at :${two(f.minute)}`;
    case 'daily':
      return `daily at ${two(f.hour)}:${two(f.minute)}`;
    case 'weekly':
      return `weekly ${f.days.join(',')} at ${two(f.hour)}:${two(f.minute)}`;
  }
}

export function formatPolicies(policies: SnapshotPolicy[], servers: ServerView[]): string {
  if (policies.length === 0) return 'No snapshot policies. Make one with "polyvisor schedule create".';
  const runBy = (p: SnapshotPolicy) => (p.runner.kind === 'server' ? (servers.find((s) => s.id === (p.runner as { serverId: string }).serverId)?.name ?? 'its server') : 'this computer');
  const rows = policies.map((p) => [
    p.id,
    p.name,
    runBy(p),
    p.type,
    `${describeFrequency(p.frequency)} (${p.timeZone})`,
    String(p.retain),
    p.enabled ? 'yes' : 'no',
    p.nextRun ?? '-',
    p.lastRun ? `${p.lastRun.at} ${p.lastRun.outcome}` : '-',
    String(p.members.length),
  ]);
  return table(['ID', 'NAME', 'RUN BY', 'TYPE', 'EVERY', 'KEEP', 'ENABLED', 'NEXT RUN', 'LAST RUN', 'VMS'], rows);
}

export function formatRun(run: PolicyRun): string {
  const head = `${run.startedAt}  ${run.trigger}  ${run.outcome}${run.finishedAt ? `  (finished ${run.finishedAt})` : ''}`;
  const items = run.items.map((i) => {
    const parts = [`  ${i.name}:`];
    if (i.created) parts.push(`took ${i.created}`);
    if (i.pruned.length) parts.push(`deleted ${i.pruned.join(', ')}`);
    if (i.error) parts.push(`failed: ${formatError(i.error)}`);
    if (parts.length === 1) parts.push(run.outcome === 'running' ? 'waiting' : 'done');
    return parts.join(' ');
  });
  return [head, ...items].join('\n');
}

export function formatHistory(runs: PolicyRun[]): string {
  return runs.length ? runs.map(formatRun).join('\n\n') : 'No runs yet.';
}

export function formatRunnerStatus(status: RunnerStatus): string {
  const lines = [`OS timer: ${status.mechanism}, ${status.installed ? 'installed' : 'not installed'}`, `Runs: ${status.command}`];
  if (status.files.length) lines.push(`${status.installed ? 'Files' : 'Would write'}:`, ...status.files.map((f) => `  ${f}`));
  return lines.join('\n');
}
