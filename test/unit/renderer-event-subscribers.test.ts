// Every event of the contract is heard by someone: a subscriber in the renderer
// (a `.on('<event>'` call under renderer/src), or a consumer named below.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENTS, type EventName } from '../../shared/contract';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = path.join(root, 'renderer', 'src');

/** Events whose consumer is not the renderer, with that consumer. Empty today: the renderer hears every event. */
const OTHER_CONSUMERS: Partial<Record<EventName, string>> = {};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : /\.tsx?$/.test(e.name) ? [readFileSync(full, 'utf8')] : [];
  });
}

describe('contract events', () => {
  it('each has a subscriber in the renderer or a named consumer', () => {
    const code = sources(srcDir).join('\n');
    const unheard = EVENTS.filter((event) => !code.includes(`.on('${event}'`) && !OTHER_CONSUMERS[event]);
    expect(unheard).toEqual([]);
  });

  it('names no consumer for an event the renderer already hears, nor for one the contract lacks', () => {
    const code = sources(srcDir).join('\n');
    for (const event of Object.keys(OTHER_CONSUMERS)) {
      expect(EVENTS).toContain(event);
      expect(code.includes(`.on('${event}'`)).toBe(false);
    }
  });
});
