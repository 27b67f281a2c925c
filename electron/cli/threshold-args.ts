// argv of `polyvisor thresholds …` → one typed command (pure, like args.ts).

import { THRESHOLD_SEVERITIES, THRESHOLD_TARGET_KINDS, type ThresholdMetric, type ThresholdSeverity, type ThresholdTargetKind } from '../../shared/thresholds';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

/** How a rule's scope is given: items by id or name are found once the servers are connected. */
export type ScopeArg = { kind: 'all' } | { kind: 'server'; server: string } | { kind: 'subtree' | 'item'; item: string } | { kind: 'tag'; tag: string };

export type ThresholdCommand =
  | { name: 'thresholds list'; json: boolean }
  | ({
      name: 'thresholds add';
      ruleName: string;
      metric: ThresholdMetric;
      comparison: 'above' | 'below';
      value: number;
      durationSeconds: number;
      scope: ScopeArg;
      kinds?: ThresholdTargetKind[];
      severity: ThresholdSeverity;
      enabled: boolean;
    } & ConnectOptions)
  | { name: 'thresholds remove'; rules: string[] }
  | { name: 'thresholds enable' | 'thresholds disable'; rules: string[] };

export const THRESHOLD_USAGE = `Threshold rules (Polyvisor's own alerts on live data, evaluated while the app runs):
  thresholds list [--json]
  thresholds add --name N --metric cpu|memory|disk-free (--above P | --below P) [--for 5m]
                 [--scope all|server:S|subtree:ITEM|tag:T|item:ITEM] [--kinds vm,container,host,storage]
                 [--severity critical|major|warning|minor|info] [--disabled]
                 P in percent; --for 30s, 5m, 1h (default: at the first reading); ITEM by id or name
  thresholds enable|disable|remove <rule>…             a rule by its id or name`;

const METRIC_ARGS: Record<string, ThresholdMetric> = { cpu: 'cpu', memory: 'memory', 'disk-free': 'diskFree' };
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "5m" → 300; "0" → 0. */
export function parseSeconds(text: string): number {
  if (text.trim() === '0') return 0;
  const m = /^(\d{1,6})([smh])$/.exec(text.trim());
  if (!m) throw usage(`--for takes a duration such as 30s, 5m or 1h, not "${text}"`);
  return Number(m[1]) * UNIT_S[m[2]!]!;
}

function percent(text: string, option: string): number {
  const v = Number(text.trim().replace(/%$/, ''));
  if (!text.trim() || !Number.isFinite(v) || v < 0 || v > 100) throw usage(`${option} takes a percentage from 0 to 100, not "${text}"`);
  return v;
}

export function parseScope(text: string): ScopeArg {
  if (text === 'all') return { kind: 'all' };
  const at = text.indexOf(':');
  const kind = at > 0 ? text.slice(0, at) : '';
  const value = text.slice(at + 1);
  if (!value || !['server', 'subtree', 'tag', 'item'].includes(kind)) throw usage(`--scope takes all, server:S, subtree:ITEM, tag:T or item:ITEM, not "${text}"`);
  if (kind === 'server') return { kind, server: value };
  if (kind === 'tag') return { kind, tag: value };
  return { kind: kind as 'subtree' | 'item', item: value };
}

export function parseThresholds(sub: string | undefined, rest: string[]): ThresholdCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, 0);
      return { name: 'thresholds list', json: !!values.json };
    }
    case 'remove':
    case 'enable':
    case 'disable': {
      const { positionals } = parse(rest, {}, -1, '<rule>…');
      return { name: `thresholds ${sub}`, rules: positionals };
    }
    case 'add':
      return parseAdd(rest);
    default:
      throw usage(`thresholds takes list, add, enable, disable or remove${sub ? `, not "${sub}"` : ''}`);
  }
}

function parseAdd(args: string[]): ThresholdCommand {
  const { values } = parse(
    args,
    {
      ...CONNECT_OPTIONS,
      name: { type: 'string' },
      metric: { type: 'string' },
      above: { type: 'string' },
      below: { type: 'string' },
      for: { type: 'string' },
      scope: { type: 'string' },
      kinds: { type: 'string' },
      severity: { type: 'string' },
      disabled: { type: 'boolean' },
    },
    0,
  );
  if (!values.name?.trim()) throw usage('--name is required');
  const metric = METRIC_ARGS[values.metric ?? ''];
  if (!metric) throw usage(`--metric takes cpu, memory or disk-free${values.metric ? `, not "${values.metric}"` : ''}`);
  if ((values.above === undefined) === (values.below === undefined)) throw usage('Give the limit as --above P or --below P (one of them)');
  const severity = (values.severity ?? 'warning') as ThresholdSeverity;
  if (!THRESHOLD_SEVERITIES.includes(severity)) throw usage(`--severity takes ${THRESHOLD_SEVERITIES.join(', ')}, not "${values.severity}"`);
  const kinds = values.kinds?.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds?.find((k) => !(THRESHOLD_TARGET_KINDS as readonly string[]).includes(k));
  if (unknown) throw usage(`--kinds takes ${THRESHOLD_TARGET_KINDS.join(', ')}, not "${unknown}"`);
  return {
    name: 'thresholds add',
    ruleName: values.name.trim(),
    metric,
    comparison: values.above !== undefined ? 'above' : 'below',
    value: values.above !== undefined ? percent(values.above, '--above') : percent(values.below!, '--below'),
    durationSeconds: values.for === undefined ? 0 : parseSeconds(values.for),
    scope: parseScope(values.scope ?? 'all'),
    ...(kinds?.length ? { kinds: kinds as ThresholdTargetKind[] } : {}),
    severity,
    enabled: !values.disabled,
    ...connectOptions(values),
  };
}
