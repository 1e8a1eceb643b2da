// Work on many items at once, a few at a time: articles sharing one browser, photos sharing two cores.
// One place holds the rule for failures, so every pool of the pipeline stops the same way.

/**
 * Runs `work` on every item, at most `size` at once. After a failure no new item starts; the ones running
 * finish (their browser pages and files are still in use), then the first failure is thrown.
 */
export async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && !failures.length; item = queue.shift()) {
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  if (failures.length) throw failures[0];
}
