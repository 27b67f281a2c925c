// Runs async jobs one after another (e.g. read-modify-write of one file), whatever each job's outcome.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(job);
    // a failed job rejects for its own caller; the queue itself goes on with the next one
    this.tail = result.catch(() => undefined);
    return result;
  }
}
