// User settings at <home>/settings.json: { version: 1, settings: Settings }. Shared
// with other processes like every profile file (util/profile-file.ts): a change is
// applied to what is on disk, and a change made elsewhere reaches watch()'s listener.

import path from 'node:path';
import type { Settings, StoreProblem } from '../../../shared/contract';
import { z } from 'zod';
import { SettingsSchema } from '../../../shared/contract-schemas';
import type { FileLockOptions } from '../util/file-lock';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

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

export class SettingsStore extends ProfileFileStore<Settings> {

  static async open(home: string, options: { lock?: FileLockOptions } = {}): Promise<SettingsStore> {
    const doc = await ProfileFile.open<Settings>({
      file: path.join(home, SETTINGS_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ ...DEFAULT_SETTINGS }),
      parse: parseWith(SettingsFileSchema),
      body: (settings) => ({ settings }),
      lock: options.lock,
    });
    return new SettingsStore(doc);
  }

  get(): Settings {
    return { ...this.doc.current() };
  }

  /** `changes` are checked by the contract's schema (settings:set) before they get here; other keys keep their value on disk. */
  set(changes: Partial<Settings>): Promise<Settings> {
    return this.doc.update((current) => {
      const next: Settings = { ...current, ...dropUndefined(changes) };
      return { next, result: { ...next } };
    });
  }

  /** Follows settings.json: `listener` hears the settings each time another process changed them. */
  watch(listener: (settings: Settings) => void, options: ProfileWatchOptions): void {
    this.follow(({ after }) => listener({ ...after }), options);
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
