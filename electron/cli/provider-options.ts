// `server add` options generated from the chosen provider's descriptor: each
// declared option is a flag (`--realm pve`, `--token-id ci`, `--no-tls`), and
// `--option key=value` reaches the tuning knobs. Secrets are never options: they
// go to the OS keychain through --password-stdin or --password-env.

import { STANDARD_FIELDS, type ConnectionField, type ProviderDescriptor } from '../../shared/descriptor';

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

const SECRET_KEY = /pass(word|phrase)?|secret|credential|(access|api|auth|private|secret)[-_]?key(?!.*path)|^token$|[-_]token$|^auth/i;

/** camelCase option keys as --kebab-case flags. */
export function flagOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function optionFields(descriptor: ProviderDescriptor): ConnectionField[] {
  return descriptor.fields.filter((f) => !(STANDARD_FIELDS as readonly string[]).includes(f.key));
}

export function optionFlags(descriptor: ProviderDescriptor): FlagSpec {
  const spec: FlagSpec = {};
  for (const f of optionFields(descriptor)) {
    if (f.advanced) continue;
    if (f.type === 'boolean') {
      spec[flagOf(f.key)] = { type: 'boolean' };
      spec[`no-${flagOf(f.key)}`] = { type: 'boolean' };
    } else spec[flagOf(f.key)] = { type: 'string' };
  }
  return spec;
}

export function parseProviderOptions(
  descriptor: ProviderDescriptor,
  values: Record<string, unknown>,
  pairs: string[],
  usage: (message: string) => Error,
): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = {};
  for (const f of optionFields(descriptor)) {
    const flag = flagOf(f.key);
    if (typeof values[flag] === 'string') options[f.key] = values[flag] as string;
    if (values[flag] === true) options[f.key] = true;
    if (values[`no-${flag}`] === true) options[f.key] = false;
  }
  const known = optionFields(descriptor).map((f) => f.key);
  for (const item of pairs) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`--option takes key=value, not "${item}"`);
    const key = item.slice(0, eq);
    if (SECRET_KEY.test(key)) {
      throw usage(
        `"${key}" looks like a secret, and secrets are never taken as options (they would be saved in plain text). Give the password with --password-stdin or --password-env VAR: it is kept in the OS keychain.`,
      );
    }
    if (!known.includes(key)) throw usage(`${descriptor.displayName.en} servers have no option "${key}"; the options are: ${known.join(', ') || 'none'}`);
    options[key] = item.slice(eq + 1);
  }
  return options;
}

/** The per-type option lines of the usage text. */
export function providerOptionsHelp(descriptors: readonly ProviderDescriptor[]): string {
  return descriptors
    .map((d) => {
      const fields = optionFields(d);
      const shown = fields.filter((f) => !f.advanced).map((f) => (f.type === 'boolean' ? `[--${flagOf(f.key)} | --no-${flagOf(f.key)}]` : `[--${flagOf(f.key)} ${describeValue(f)}]`));
      const tuning = fields.filter((f) => f.advanced).map((f) => f.key);
      const parts = [...shown, ...(tuning.length ? [`--option ${tuning.join('|')}=…`] : [])];
      return `    ${d.type}: default port ${d.defaultPort}${parts.length ? `; ${parts.join(' ')}` : ''}`;
    })
    .join('\n');
}

function describeValue(f: ConnectionField): string {
  if (f.type === 'choice') return (f.choices ?? []).map((c) => c.value).join('|');
  if (f.type === 'integer') return 'N';
  if (f.type === 'path') return 'PATH';
  return f.default !== undefined ? `(default ${String(f.default)})` : 'TEXT';
}
