// User settings at <home>/settings.json: { version: 1, settings: Settings }.

import path from 'node:path';
import type { Settings, StoreProblem } from '../../../shared/contract';
import { z } from 'zod';
import { SettingsSchema } from '../../../shared/contract-schemas';
import { loadVersionedFile, parseWith, saveVersionedFile } from '../util/versioned-json-file';
import { SerialQueue } from '../util/serial-queue';

export const SETTINGS_FILE = 'settings.json';
const SCHEMA_VERSION = 1;

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  reconnectAtStart: true,
  showTemplates: false,
  language: 'system',
  theme: 'system',
};

/** Known settings with a valid value are taken, anything else dropped (a newer version's keys) — never merged as code. */
const SettingsFileSchema = z.object({ settings: SettingsSchema.partial().strip() }).transform((doc) => ({ ...DEFAULT_SETTINGS, ...dropUndefined(doc.settings) }));

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
    const loaded = await loadVersionedFile<Settings>({ file, version: SCHEMA_VERSION, empty: () => ({ ...DEFAULT_SETTINGS }), parse: parseWith(SettingsFileSchema) });
    return new SettingsStore(file, loaded.value, loaded.problem);
  }

  get(): Settings {
    return { ...this.settings };
  }

  /** `changes` are checked by the contract's schema (settings:set) before they get here. */
  set(changes: Partial<Settings>): Promise<Settings> {
    return this.queue.run(async () => {
      const next: Settings = { ...this.settings, ...dropUndefined(changes) };
      await saveVersionedFile(this.file, SCHEMA_VERSION, { settings: next });
      this.settings = next;
      return { ...next };
    });
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
