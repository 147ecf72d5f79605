/**
 * What a test opened (processes, servers, Redis keys, temp dirs), closed in reverse order after
 * it, whether it passed or failed; one closer failing does not stop the others.
 */
export class Cleanup {
  private readonly closers: { what: string; close: () => Promise<unknown> }[] = [];

  /** Registers `close` and returns `value`, so opening and registering read as one line. */
  add<T>(what: string, value: T, close: (value: T) => Promise<unknown>): T {
    this.closers.push({ what, close: () => close(value) });
    return value;
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    for (const { what, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`Cleanup failed for ${failures.join('; ')}`);
  }
}
