// User settings at <home>/settings.json: { version: 1, settings: Settings }.

import path from 'node:path';
import type { Settings, StoreProblem } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import { loadVersionedFile, saveVersionedFile } from '../util/versioned-json-file';
import { SerialQueue } from '../util/serial-queue';

export const SETTINGS_FILE = 'settings.json';
const SCHEMA_VERSION = 1;

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  reconnectAtStart: true,
  showTemplates: false,
  language: 'system',
  theme: 'system',
};

const CHOICES: { [K in keyof Settings]: readonly Settings[K][] } = {
  reconnectAtStart: [true, false],
  showTemplates: [true, false],
  language: ['system', 'en', 'zh-CN'],
  theme: ['system', 'light', 'dark'],
};

export class SettingsStore {
  private settings: Settings;
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    settings: Settings,
    readonly problem?: StoreProblem,
  ) {
    this.settings = settings;
  }

  static async open(home: string): Promise<SettingsStore> {
    const file = path.join(home, SETTINGS_FILE);
    const loaded = await loadVersionedFile<Settings>({ file, version: SCHEMA_VERSION, empty: () => ({ ...DEFAULT_SETTINGS }), parse: parseSettings });
    return new SettingsStore(file, loaded.value, loaded.problem);
  }

  get(): Settings {
    return { ...this.settings };
  }

  set(changes: Partial<Settings>): Promise<Settings> {
    const problem = changesProblem(changes);
    if (problem) return Promise.reject(new PolyvisorError({ code: 'INVALID_INPUT', message: problem }));
    return this.queue.run(async () => {
      const next = { ...this.settings, ...changes };
      await saveVersionedFile(this.file, SCHEMA_VERSION, { settings: next });
      this.settings = next;
      return { ...next };
    });
  }
}

function changesProblem(changes: unknown): string | null {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return 'Settings changes must be an object.';
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in CHOICES)) return `Unknown setting ${JSON.stringify(key)}.`;
    const allowed = CHOICES[key as keyof Settings] as readonly unknown[];
    if (!allowed.includes(value)) return `Invalid value ${JSON.stringify(value)} for ${key}; expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}.`;
  }
  return null;
}

function parseSettings(doc: Record<string, unknown>): Settings | string {
  const raw = doc.settings;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'The file has no "settings" object.';
  // Unknown keys (from a newer minor version) are dropped; a known key with a bad value makes the file unusable.
  const known = Object.fromEntries(Object.entries(raw).filter(([k]) => k in CHOICES));
  const problem = changesProblem(known);
  if (problem) return problem;
  return { ...DEFAULT_SETTINGS, ...(known as Partial<Settings>) };
}
