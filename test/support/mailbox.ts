/**
 * Items in arrival order, each taken once: `next()` returns the oldest item not yet taken, or
 * waits for the next to arrive, up to a deadline. Lets a test await "the next message" whether
 * it arrived before or after the test asked.
 */
export class Mailbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: { resolve: (item: T) => void }[] = [];

  constructor(private readonly what: string) {}

  put(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  /** Items that arrived and were not taken yet. */
  get pending(): readonly T[] {
    return this.items;
  }

  next(options: { timeoutMs?: number } = {}): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve: (arrived: T) => {
          clearTimeout(timer);
          resolve(arrived);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`No ${this.what} arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
