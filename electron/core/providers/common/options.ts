// A provider's options declared once: the same declaration gives the descriptor's
// form fields (for the dialog, the CLI and the core's validation) and a typed reader
// the provider uses on its ProviderConfig.options.

import type { ConnectionField, FieldValue, LocalizedText } from '../../../../shared/descriptor';

export interface OptionSpec<T> {
  field: Omit<ConnectionField, 'key'>;
  read(raw: FieldValue | undefined): T;
}

interface Common {
  label: LocalizedText;
  hint?: LocalizedText;
  placeholder?: LocalizedText;
  /** tuning knobs are not drawn in the dialog */
  advanced?: boolean;
  when?: ConnectionField['when'];
  required?: boolean;
  labelWhen?: ConnectionField['labelWhen'];
}

function toNumber(raw: FieldValue | undefined): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw);
  return NaN;
}

export function integerOption(o: Common & { default: number; min?: number; max?: number }): OptionSpec<number> {
  const { default: fallback, ...rest } = o;
  return {
    field: { ...rest, type: 'integer', default: fallback },
    read(raw) {
      const n = toNumber(raw);
      if (!Number.isFinite(n)) return fallback;
      if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) return fallback;
      return n;
    },
  };
}

export function textOption(o: Common & { default?: string; maxLength?: number; pattern?: string; type?: 'text' | 'path' | 'secret' }): OptionSpec<string | undefined> {
  const { default: fallback, type = 'text', ...rest } = o;
  return {
    field: { ...rest, type, default: fallback },
    read: (raw) => (typeof raw === 'string' && raw !== '' ? raw : fallback),
  };
}

export function booleanOption(o: Common & { default: boolean }): OptionSpec<boolean> {
  const { default: fallback, ...rest } = o;
  return {
    field: { ...rest, type: 'boolean', default: fallback },
    read: (raw) => (typeof raw === 'boolean' ? raw : raw === 'true' ? true : raw === 'false' ? false : fallback),
  };
}

export function choiceOption<C extends string>(o: Common & { choices: ReadonlyArray<{ value: C; label: LocalizedText }>; default: C }): OptionSpec<C> {
  const { default: fallback, choices, ...rest } = o;
  return {
    field: { ...rest, type: 'choice', default: fallback, choices: choices.map((c) => ({ ...c })) },
    read: (raw) => (choices.some((c) => c.value === raw) ? (raw as C) : fallback),
  };
}

export interface DefinedOptions<S extends Record<string, OptionSpec<unknown>>> {
  /** the descriptor's fields for these options, in declaration order */
  fields: ConnectionField[];
  read(options: Record<string, FieldValue> | undefined): { [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };
}

export function defineOptions<S extends Record<string, OptionSpec<unknown>>>(spec: S): DefinedOptions<S> {
  const fields = Object.entries(spec).map(([key, s]) => ({ key, ...s.field }) as ConnectionField);
  return {
    fields,
    read(options) {
      const out: Record<string, unknown> = {};
      for (const [key, s] of Object.entries(spec)) {
        const raw = options && Object.prototype.hasOwnProperty.call(options, key) ? options[key] : undefined;
        out[key] = s.read(raw);
      }
      return out as ReturnType<DefinedOptions<S>['read']>;
    },
  };
}

/** The reconnect backoff every LiveConnection takes (first and longest delay), as declared tuning knobs. */
export function backoffOptions(defaults: { minMs: number; maxMs: number }) {
  return {
    reconnectMinMs: integerOption({ label: TUNING_LABELS.reconnectMinMs, advanced: true, default: defaults.minMs, min: 1, max: 600_000 }),
    reconnectMaxMs: integerOption({ label: TUNING_LABELS.reconnectMaxMs, advanced: true, default: defaults.maxMs, min: 1, max: 3_600_000 }),
  };
}

/** Short bilingual labels for the tuning knobs most providers share. */
export const TUNING_LABELS = {
  reconnectMinMs: { en: 'First reconnect delay (ms)', 'zh-CN': '首次重连延迟（毫秒）' },
  reconnectMaxMs: { en: 'Longest reconnect delay (ms)', 'zh-CN': '最长重连延迟（毫秒）' },
  callTimeoutMs: { en: 'Request deadline (ms)', 'zh-CN': '请求时限（毫秒）' },
  taskPollMs: { en: 'Task progress poll (ms)', 'zh-CN': '任务进度轮询间隔（毫秒）' },
} satisfies Record<string, LocalizedText>;
