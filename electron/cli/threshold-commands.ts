// `polyvisor thresholds list|add|enable|disable|remove`: the rules in the profile's
// thresholds.json (a running app takes a change in at once). Only a scope naming an
// item connects the servers, to find it.

import { PolyvisorError } from '../../shared/errors';
import { describeCondition, type ThresholdRule, type ThresholdScope } from '../../shared/thresholds';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { findNode, findServer } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';
import type { ScopeArg, ThresholdCommand } from './threshold-args';

export async function executeThresholds(command: ThresholdCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  switch (command.name) {
    case 'thresholds list': {
      const rules = await core.invoke('thresholds:list');
      io.out(command.json ? JSON.stringify(rules, null, 2) : ruleTable(rules));
      return;
    }
    case 'thresholds add': {
      const scope = await resolveScope(command.scope, command, session);
      const rule = await core.invoke('thresholds:create', {
        name: command.ruleName,
        metric: command.metric,
        comparison: command.comparison,
        value: command.value,
        durationSeconds: command.durationSeconds,
        scope,
        ...(command.kinds ? { kinds: command.kinds } : {}),
        severity: command.severity,
        enabled: command.enabled,
      });
      io.err(`Added "${rule.name}": ${describeCondition(rule)}.`);
      io.out(rule.id);
      return;
    }
    case 'thresholds enable':
    case 'thresholds disable':
    case 'thresholds remove': {
      const rules = await core.invoke('thresholds:list');
      for (const rule of command.rules.map((q) => findRule(rules, q))) {
        if (command.name === 'thresholds remove') {
          await core.invoke('thresholds:delete', rule.id);
          io.err(`Removed "${rule.name}" (${rule.id}).`);
        } else {
          await core.invoke('thresholds:update', rule.id, { enabled: command.name === 'thresholds enable' });
          io.err(`${command.name === 'thresholds enable' ? 'Enabled' : 'Disabled'} "${rule.name}".`);
        }
      }
      return;
    }
  }
}

async function resolveScope(scope: ScopeArg, command: Extract<ThresholdCommand, { name: 'thresholds add' }>, session: CliSession): Promise<ThresholdScope> {
  switch (scope.kind) {
    case 'all':
      return scope;
    case 'tag':
      return scope;
    case 'server':
      return { kind: 'server', serverId: findServer(await session.servers(), scope.server).id };
    case 'subtree': {
      const nodes = await inventoryFor(command, session);
      return { kind: 'subtree', nodeId: findNode(nodes, scope.item, ['server', 'pool', 'cluster', 'host'], 'server, pool, cluster or host').id };
    }
    case 'item': {
      const nodes = await inventoryFor(command, session);
      return { kind: 'node', nodeId: findNode(nodes, scope.item, ['vm', 'container', 'host', 'storage'], 'VM, container, host or storage').id };
    }
  }
}

function findRule(rules: ThresholdRule[], query: string): ThresholdRule {
  const byId = rules.find((r) => r.id === query || r.id === `threshold:${query}`);
  if (byId) return byId;
  const byName = rules.filter((r) => r.name === query);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${byName.length} rules are named "${query}": give the id (${byName.map((r) => r.id).join(', ')})` });
  throw new PolyvisorError({ code: 'NOT_FOUND', message: `No threshold rule "${query}" (polyvisor thresholds list shows them)` });
}

function scopeText(scope: ThresholdScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all';
    case 'server':
      return `server:${scope.serverId}`;
    case 'tag':
      return `tag:${scope.tag}`;
    case 'subtree':
      return `subtree:${scope.nodeId}`;
    case 'node':
      return `item:${scope.nodeId}`;
  }
}

function ruleTable(rules: ThresholdRule[]): string {
  if (!rules.length) return 'No threshold rules.';
  const rows = [
    ['NAME', 'CONDITION', 'KINDS', 'SCOPE', 'SEVERITY', 'ENABLED', 'ID'],
    ...rules.map((r) => [
      r.name,
      describeCondition(r),
      r.kinds.length ? r.kinds.join(',') : 'any',
      scopeText(r.scope),
      r.severity,
      r.enabled ? 'yes' : 'no',
      r.id,
    ]),
  ];
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}
