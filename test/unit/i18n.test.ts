// Every user-visible string of the renderer goes through t(): both languages have
// exactly the same keys, every key the code asks for exists, and no JSX text with
// letters bypasses the translation (a static scan of renderer/src/**/*.tsx).
import { EXTERNAL_VIEWERS } from '../../shared/external-consoles';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import type { ActionName, ConnectionState, NodeKind, PowerState } from '../../shared/model';
import { GUEST_TASK_ACTIONS } from '../../shared/guests';
import { ALL_BOND_MODES, NETWORK_KINDS, NETWORK_TASK_ACTIONS, NETWORK_TYPES, SDN_ZONE_TYPES } from '../../shared/networks';
import { KNOWN_SERVER_CODES } from '../../renderer/src/guests/server-code-words';
import { ALERT_SEVERITIES } from '../../shared/notifications';
import { METRIC_NAMES, METRIC_TIMEFRAMES } from '../../shared/metrics';
import type { PolicyFrequency, PolicyRun, PolicySnapshotType, RunnerStatus, RunOutcome } from '../../shared/schedules';
import en from '../../renderer/src/i18n/en.json';
import zhCN from '../../renderer/src/i18n/zh-CN.json';
import type { AttentionItem } from '../../renderer/src/summary/summary-data';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { CONNECT_TASK } from '../../electron/core/tasks/connect-task';
import type { SearchErrorCode } from '../../shared/search';
import { NAV_VIEWS } from '../../renderer/src/views/view-store';
import { GRID_COLUMN_IDS } from '../../renderer/src/overview/grid-columns';
import { USAGE_MISSING } from '../../shared/usage';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = path.join(root, 'renderer', 'src');

/** Text that may appear untranslated in JSX: product names and symbols. */
const ALLOWED_LITERALS = new Set<string>(['Polyvisor']);
/** JSX attributes a user reads or hears. */
const VISIBLE_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description', 'aria-placeholder']);
const HAS_LETTER = /\p{L}/u;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function sourceFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full, ext));
    else if (ext.test(entry.name)) out.push(full);
  }
  return out;
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** JSX text, string-literal children and visible attributes that contain letters. */
function untranslatedJsx(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const report = (node: ts.Node, text: string) => {
    const trimmed = text.trim();
    if (!HAS_LETTER.test(trimmed) || ALLOWED_LITERALS.has(trimmed)) return;
    found.push({ file: path.relative(root, file), line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: trimmed });
  };
  const literalText = (e: ts.Expression | undefined): string | null =>
    e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : null;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const text = literalText(node.expression);
      if (text !== null) report(node, text);
      else if (node.expression && ts.isTemplateExpression(node.expression)) {
        const e = node.expression;
        report(node, [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' '));
      }
    } else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(sf))) {
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) report(node, init.text);
      else if (init && ts.isJsxExpression(init)) {
        const text = literalText(init.expression);
        if (text !== null) report(node, text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Keys passed as literals to t() / i18n.t(), and the prefixes of template keys like t(`action.${a}`). */
function usedKeys(file: string, source: string): { keys: Set<string>; prefixes: Set<string> } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isT = (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
      const arg = node.arguments[0];
      if (isT && arg) {
        if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) keys.add(arg.text);
        else if (ts.isTemplateExpression(arg)) prefixes.add(arg.head.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { keys, prefixes };
}

const enKeys = flatten(en as Tree);
const zhKeys = flatten(zhCN as Tree);

// Records keyed by the contract's unions: adding a member without its translation fails the typecheck here.
const ACTIONS: Record<ActionName, true> = {
  start: true, shutdown: true, force_shutdown: true, reboot: true, force_reboot: true, suspend: true, resume: true,
  pause: true, unpause: true, snapshot_create: true, snapshot_revert: true, snapshot_delete: true, snapshot_edit: true, snapshot_clone: true, snapshot_template: true, destroy: true,
  migrate: true, maintenance_enter: true, maintenance_exit: true, evacuate: true, host_reboot: true, host_shutdown: true, host_power_on: true,
  clone: true, to_template: true, to_vm: true, pool_join: true, pool_eject: true,
};
const ERROR_CODES: Record<ErrorCode, true> = {
  AUTH_FAILED: true, CERT_UNTRUSTED: true, CERT_CHANGED: true, CONNECTION_FAILED: true, TIMEOUT: true, RESPONSE_TOO_LARGE: true, SERVER_ERROR: true,
  KEYCHAIN_UNAVAILABLE: true, PASSWORD_REQUIRED: true, NOT_FOUND: true, INVALID_INPUT: true, UNSUPPORTED: true,
  CANCELLED: true, STORE_CORRUPT: true, INTERNAL: true,
};
const KINDS: Record<NodeKind, true> = { server: true, pool: true, cluster: true, host: true, vm: true, container: true, template: true, project: true, image: true, volume: true, storage: true, network: true, snapshot: true };
const POWER_STATES: Record<PowerState, true> = { running: true, halted: true, paused: true, suspended: true, restarting: true, unhealthy: true, unknown: true };
const CONNECTION_STATES: Record<ConnectionState, true> = { disconnected: true, connecting: true, connected: true, reconnecting: true, error: true };
const TASK_STATUSES: Record<TaskStatus, true> = { running: true, success: true, failure: true, cancelled: true };
const POLICY_TYPES: Record<PolicySnapshotType, true> = { disk: true, memory: true, quiesce: true };
const RUN_OUTCOMES: Record<RunOutcome, true> = { running: true, success: true, partial: true, failure: true };
const RUNNER_MECHANISMS: Record<RunnerStatus['mechanism'], true> = { systemd: true, cron: true, launchd: true, schtasks: true };
const RUN_TRIGGERS: Record<PolicyRun['trigger'], true> = { schedule: true, 'run-now': true, 'catch-up': true };
const FREQUENCIES: Record<PolicyFrequency['every'], true> = { hourly: true, daily: true, weekly: true };
const SEARCH_ERRORS: Record<SearchErrorCode, true> = { unexpected: true, 'unclosed-paren': true, 'unopened-paren': true, 'unclosed-quote': true, 'unknown-field': true, 'missing-value': true, 'missing-operand': true, 'bad-number': true, 'compare-on-text': true };
const ATTENTION: Record<AttentionItem['reason'], true> = { hostOff: true, hostMaintenance: true, hostDisabled: true, guestUnknown: true, guestUnhealthy: true, noQuorum: true };

/** Template-key prefixes used by the code, with every value they can take. */
const DYNAMIC: Record<string, string[]> = {
  'action.': [...Object.keys(ACTIONS), ...GUEST_TASK_ACTIONS, ...NETWORK_TASK_ACTIONS],
  'networks.typeName.': [...NETWORK_TYPES],
  'networks.kindName.': [...NETWORK_KINDS],
  'networks.bondModeName.': [...ALL_BOND_MODES],
  'networks.zoneTypeName.': [...SDN_ZONE_TYPES],
  // a network made, changed or deleted on the server but not applied yet (Proxmox VE's pending configuration)
  'networks.pendingState.': ['new', 'changed', 'deleted'],
  'errorCode.': Object.keys(ERROR_CODES),
  'kind.': Object.keys(KINDS),
  'powerState.': Object.keys(POWER_STATES),
  'connection.': Object.keys(CONNECTION_STATES),
  'taskStatus.': Object.keys(TASK_STATUSES),
  'link.': ['connecting', 'open', 'closed'],
  'mode.': ['electron', 'web'],
  'performance.timeframes.': [...METRIC_TIMEFRAMES],
  'performance.empty.': ['not-running', 'no-history', 'no-metrics'],
  'performance.chart.': ['cpu', 'memory', 'disk', 'diskOps', 'network'],
  'performance.metric.': [...METRIC_NAMES],
  'details.tab.': ['general', 'snapshots', 'console', 'logs', 'memory', 'performance', 'storage'],
  'logs.phase.': ['opening', 'following', 'complete', 'failed'],
  'console.phase.': ['opening', 'connected', 'reconnecting', 'ended', 'failed', 'stopped'],
  'console.external.open.': [...EXTERNAL_VIEWERS],
  'console.external.name.': [...EXTERNAL_VIEWERS],
  'console.external.install.': [...EXTERNAL_VIEWERS],
  'console.failure.': ['SERVER_ERROR', 'AUTH_FAILED', 'CONNECTION_FAILED', 'TIMEOUT', 'UNSUPPORTED', 'CERT_UNTRUSTED', 'CERT_CHANGED', 'other'],
  'schedules.type.': Object.keys(POLICY_TYPES),
  'schedules.outcome.': Object.keys(RUN_OUTCOMES),
  'schedules.mechanism.': Object.keys(RUNNER_MECHANISMS),
  'policyHistory.trigger.': Object.keys(RUN_TRIGGERS),
  'policyWizard.everyOption.': Object.keys(FREQUENCIES),
  'policyWizard.typeHint.': Object.keys(POLICY_TYPES),
  'policyWizard.step.': ['name', 'members', 'type', 'schedule', 'finish'],
  'summary.attention.': Object.keys(ATTENTION),
  // the overview grid and live usage (issue 15)
  'overview.column.': [...GRID_COLUMN_IDS],
  'overview.missing.': [...USAGE_MISSING],
  // the Notifications view (issue 15)
  'notifications.severity.': [...ALERT_SEVERITIES],
  'notifications.status.': ['running', 'success', 'failure', 'cancelled', 'ended'],
  'notifications.period.': ['all', '1h', '1d', '7d'],
  'notifications.tab.': ['alerts', 'events', 'app-tasks', 'thresholds'],
  'thresholds.metric.': ['cpu', 'memory', 'diskFree'],
  'thresholds.comparison.': ['above', 'below'],
  'thresholds.condition.': ['above', 'below'],
  'thresholds.unitName.': ['s', 'min', 'h'],
  'thresholds.scope.': ['all', 'server', 'subtree', 'tag', 'node'],
  'thresholds.kind.': ['vm', 'container', 'host', 'storage', 'server', 'pool', 'cluster'],
  'notifications.desktop.': ['denied', 'unsupported'],
  // property labels fall back to the property's own key (data, not prose); the walkthrough checks every key a server sends
  'prop.': [],
  'propFor.': [],
  // a kind's own word for a state, where it has one; the common powerState.* otherwise
  'powerStateFor.': [],
  'prop.parent.': [],
  // the servers' own codes where they are known in words; any other keeps the server's message
  'migrationReason.': [],
  // the guest dialogs (issue 14): wizard pages, Properties sections, boot devices, memory order problems, known server codes
  'guests.wizard.step.': ['server', 'template', 'name', 'resources', 'disks', 'networks', 'install', 'host', 'finish'],
  'guests.props.section.': ['general', 'cpu', 'memory', 'cd', 'boot'],
  'guests.device.': ['cd', 'disk', 'network'],
  'guests.restart.': ['no', 'always', 'unless-stopped', 'on-failure'],
  'guests.memory.order.': ['staticMinAboveDynamicMin', 'dynamicMinAboveDynamicMax', 'dynamicMaxAboveStaticMax'],
  'guests.serverCode.': [...KNOWN_SERVER_CODES],
  // the navigation views and the search language (issue 16)
  'views.name.': [...NAV_VIEWS],
  'views.title.': [...NAV_VIEWS],
  'views.empty.': NAV_VIEWS.filter((v) => v !== 'infrastructure'),
  'views.searchError.': Object.keys(SEARCH_ERRORS),
};

describe('translations', () => {
  it('en and zh-CN have exactly the same keys', () => {
    const onlyEn = [...enKeys.keys()].filter((k) => !zhKeys.has(k));
    const onlyZh = [...zhKeys.keys()].filter((k) => !enKeys.has(k));
    expect({ onlyEn, onlyZh }).toEqual({ onlyEn: [], onlyZh: [] });
  });

  it('has no empty translation and keeps the same {{placeholders}} in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const problems: string[] = [];
    for (const [key, value] of enKeys) {
      const zh = zhKeys.get(key) ?? '';
      if (!value.trim() || !zh.trim()) problems.push(`${key}: empty`);
      if (JSON.stringify(placeholders(value)) !== JSON.stringify(placeholders(zh))) problems.push(`${key}: placeholders differ`);
    }
    expect(problems).toEqual([]);
  });

  it('every key the renderer asks for exists in both languages', () => {
    const missing: string[] = [];
    const unknownPrefixes: string[] = [];
    for (const file of sourceFiles(srcDir, /\.tsx?$/)) {
      const { keys, prefixes } = usedKeys(file, readFileSync(file, 'utf8'));
      for (const key of keys) {
        if (!enKeys.has(key)) missing.push(`en: ${key} (${path.relative(root, file)})`);
        if (!zhKeys.has(key)) missing.push(`zh-CN: ${key} (${path.relative(root, file)})`);
      }
      for (const prefix of prefixes) {
        const values = DYNAMIC[prefix];
        if (!values) {
          unknownPrefixes.push(`${prefix}… in ${path.relative(root, file)}: list its values in DYNAMIC`);
          continue;
        }
        for (const v of values) {
          if (!enKeys.has(prefix + v)) missing.push(`en: ${prefix}${v}`);
          if (!zhKeys.has(prefix + v)) missing.push(`zh-CN: ${prefix}${v}`);
        }
      }
    }
    expect(unknownPrefixes).toEqual([]);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every task the core starts has its name in both languages', () => {
    const names = [...Object.keys(ACTIONS), CONNECT_TASK];
    expect(names.filter((a) => !enKeys.has(`action.${a}`) || !zhKeys.has(`action.${a}`))).toEqual([]);
  });

  it('every raw server value a provider puts in words has them in both languages', () => {
    const problems: string[] = [];
    const CJK = /\p{Script=Han}/u;
    for (const factory of builtinProviders) {
      const reading = factory.descriptor.properties;
      for (const [kind, keys] of Object.entries(reading?.hidden ?? {})) {
        if (!(kind in KINDS)) problems.push(`${factory.descriptor.type}: hidden under unknown kind ${kind}`);
        if (!keys?.length) problems.push(`${factory.descriptor.type}: empty hidden list for ${kind}`);
      }
      for (const [key, values] of Object.entries(reading?.values ?? {})) {
        if (!enKeys.has(`prop.${key}`) || !zhKeys.has(`prop.${key}`)) problems.push(`${factory.descriptor.type}: no label prop.${key}`);
        for (const [raw, words] of Object.entries(values)) {
          const where = `${factory.descriptor.type} ${key}=${raw}`;
          if (!words.en.trim() || !words['zh-CN'].trim()) problems.push(`${where}: empty`);
          if (!CJK.test(words['zh-CN'])) problems.push(`${where}: "${words['zh-CN']}" is not Chinese`);
          if (words.en === raw) problems.push(`${where}: the raw value again`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('no user-visible text in JSX bypasses t()', () => {
    const findings = sourceFiles(srcDir, /\.tsx$/).flatMap((file) => untranslatedJsx(file, readFileSync(file, 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} "${f.text}"`)).toEqual([]);
  });

  it('the scan catches text, literal children and visible attributes that bypass t()', () => {
    const sample = `export const A = () => (
      <div title="Open the door" data-testid="fine">
        Hello
        {'world'}
        {\` — \${x} items\`}
        <span aria-label={'Close'}>{t('ok')}</span>
        <b>{'…'} · 42 %</b>
        <i>Polyvisor</i>
      </div>
    );`;
    const texts = untranslatedJsx(path.join(srcDir, 'Sample.tsx'), sample).map((f) => f.text);
    expect(texts.sort()).toEqual(['Close', 'Hello', 'Open the door', 'world', '—   items'].sort());
  });
});
