import type { CDPSession, Page } from 'playwright-core';

/**
 * Samples what a page really holds while a test runs something large: every few hundred ms a
 * full garbage collection, then V8's heap and the backing stores of its ArrayBuffers (CDP
 * Runtime.getHeapUsage). A page that buffered a file whole would hold at least its size;
 * bytes already handed to a Blob live in the browser's blob store, not in the page.
 * (Process RSS is no measure here: the allocator keeps freed memory, about 86 MiB after a
 * first large transfer whatever the file size.)
 */
export class PageMemory {
  private peak = 0;
  private baseline = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  private constructor(private readonly cdp: CDPSession) {}

  /** Starts sampling `page`. */
  static async start(page: Page, everyMs = 250): Promise<PageMemory> {
    const memory = new PageMemory(await page.context().newCDPSession(page));
    memory.baseline = await memory.retained();
    memory.peak = memory.baseline;
    memory.timer = setInterval(() => void memory.sample(), everyMs);
    return memory;
  }

  /** Stops; returns the peak retained growth over the start, in bytes. */
  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.cdp.detach().catch(() => undefined);
    return this.peak - this.baseline;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.peak = Math.max(this.peak, await this.retained());
    } catch {
      // the page went away
    } finally {
      this.busy = false;
    }
  }

  /**
   * What survives a full collection, as the least of three readings 30 ms apart: buffers that
   * are only passing through (a chunk being encrypted, a frame being written to the socket)
   * come and go between readings; what the page keeps stays in all three.
   */
  private async retained(): Promise<number> {
    let least = Number.POSITIVE_INFINITY;
    for (let reading = 0; reading < 3; reading += 1) {
      if (reading > 0) await new Promise((resolve) => setTimeout(resolve, 30));
      await this.cdp.send('HeapProfiler.collectGarbage');
      const usage = (await this.cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
      if (usage.backingStorageSize === undefined) throw new Error('This Chromium does not report ArrayBuffer backing stores.');
      least = Math.min(least, usage.usedSize + usage.backingStorageSize);
    }
    return least;
  }
}
