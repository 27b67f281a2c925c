// Pulling an image (`POST /images/create?fromImage=…&tag=…`) with progress. The engine
// answers with one JSON line per step of each layer ("Pulling fs layer", "Downloading"
// with byte counts, "Extracting" with byte counts, "Pull complete", "Already exists");
// the task's progress is the bytes downloaded and extracted over every layer whose size
// is known, so it moves as the data does. A failure in the middle comes as an `error`
// line in a 200 answer, and is the engine's message.

import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import { LineSplitter } from '../common/limits';
import type { TaskReporter } from '../provider';
import { dial } from './modem-dial';

/** A pull line is short; one of a megabyte is no pull answer. */
const MAX_PULL_LINE = 1 << 20;
/** downloading weighs this much of a layer, extracting the rest */
const DOWNLOAD_SHARE = 0.8;

/** `name[:tag]` or `name@digest` → fromImage and tag as the engine takes them (no tag = latest, never every tag). */
export function splitReference(reference: string): { fromImage: string; tag: string } {
  const ref = reference.trim();
  const at = ref.indexOf('@');
  if (at > 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  // a colon before the last slash is a registry's port (localhost:5000/busybox)
  if (colon > ref.lastIndexOf('/')) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

/** The whole reference with its tag, as the engine lists it afterwards. */
export function fullReference(reference: string): string {
  const { fromImage, tag } = splitReference(reference);
  return tag.includes(':') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

interface LayerProgress {
  total: number;
  downloaded: number;
  extracted: number;
}

/** Byte counts per layer, from the pull's lines. */
export class PullProgress {
  private readonly layers = new Map<string, LayerProgress>();

  /** Takes one line of the answer; returns the engine's error message when the line is one. */
  take(line: Record<string, unknown>): string | null {
    if (typeof line.error === 'string') return line.error;
    const detail = line.errorDetail as { message?: unknown } | undefined;
    if (typeof detail?.message === 'string') return detail.message;
    const id = typeof line.id === 'string' ? line.id : null;
    const status = typeof line.status === 'string' ? line.status : '';
    if (!id) return null;
    const counts = line.progressDetail as { current?: unknown; total?: unknown } | undefined;
    const current = typeof counts?.current === 'number' ? counts.current : null;
    const total = typeof counts?.total === 'number' && counts.total > 0 ? counts.total : null;
    const layer = this.layers.get(id);
    switch (status) {
      case 'Downloading':
        if (total !== null && current !== null) this.layers.set(id, { total, downloaded: Math.min(current, total), extracted: 0 });
        break;
      case 'Verifying Checksum':
      case 'Download complete':
        if (layer) layer.downloaded = layer.total;
        break;
      case 'Extracting':
        if (layer && current !== null) {
          layer.downloaded = layer.total;
          layer.extracted = Math.min(current, total ?? layer.total);
        } else if (total !== null && current !== null) this.layers.set(id, { total, downloaded: total, extracted: Math.min(current, total) });
        break;
      case 'Pull complete':
        if (layer) Object.assign(layer, { downloaded: layer.total, extracted: layer.total });
        break;
      default:
        // "Already exists": a layer the engine has costs nothing and does not weigh in the fraction
        break;
    }
    return null;
  }

  /** 0..1 over the layers whose size is known. */
  get fraction(): number {
    let total = 0;
    let done = 0;
    for (const l of this.layers.values()) {
      total += l.total;
      done += DOWNLOAD_SHARE * l.downloaded + (1 - DOWNLOAD_SHARE) * l.extracted;
    }
    return total ? done / total : 0;
  }

  /** bytes downloaded so far, over every layer seen */
  get downloadedBytes(): number {
    let n = 0;
    for (const l of this.layers.values()) n += l.downloaded;
    return n;
  }
}

/** Pulls `reference`; resolves with the pulled image's id. */
export async function pullImage(docker: Dockerode, reference: string, task: TaskReporter, where: string): Promise<string> {
  const { fromImage, tag } = splitReference(reference);
  if (!fromImage) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'reference', message: 'Name the image to pull, e.g. busybox:latest.' });
  const controller = new AbortController();
  task.setCancellable(async () => controller.abort());
  const answer = (await dial(docker, {
    path: '/images/create?',
    method: 'POST',
    options: { fromImage, tag },
    isStream: true,
    abortSignal: controller.signal,
    statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
  })) as Readable;
  const progress = new PullProgress();
  const lines = new LineSplitter(`The Docker engine at ${where} (pulling ${reference})`, MAX_PULL_LINE);
  let reported = 0;
  const read = (text: string) => {
    if (!text.trim()) return;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      throw new PolyvisorError({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER', message: `The Docker engine at ${where} answered the pull with a line that is not JSON: ${text.slice(0, 200)}` });
    }
    if (typeof line !== 'object' || line === null) return;
    const failed = progress.take(line as Record<string, unknown>);
    if (failed) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `Pulling ${reference}: ${failed}`, serverParams: [failed] });
    // whole percents: the tasks panel need not hear of every chunk
    const f = Math.floor(progress.fraction * 100) / 100;
    if (f > reported && f < 1) {
      reported = f;
      task.progress(f);
    }
  };
  try {
    for await (const chunk of answer) for (const text of lines.push(chunk as Buffer)) read(text);
    read(lines.rest());
  } catch (err) {
    answer.destroy();
    if (controller.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: `Pulling ${reference} was cancelled.` });
    throw err;
  } finally {
    task.setCancellable(null);
  }
  const image = (await docker.getImage(fullReference(reference)).inspect()) as { Id?: unknown };
  if (typeof image.Id !== 'string') throw new PolyvisorError({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER', message: `The Docker engine at ${where} describes ${reference} without an id.` });
  return image.Id;
}
