import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BundleSaver } from './bundle-saver.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('saving into the key bundle', () => {
  it('makes one save of a burst of changes, after the delay', async () => {
    const save = vi.fn(async () => undefined);
    const saver = new BundleSaver({ save, retryIn: () => 1_000 });
    saver.schedule(300);
    saver.schedule(300);
    await vi.advanceTimersByTimeAsync(299);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('starts a save only once the one before has finished', async () => {
    let finish = () => {};
    const order: string[] = [];
    const save = vi.fn(async () => {
      order.push('start');
      if (save.mock.calls.length === 1) await new Promise<void>((resolve) => (finish = resolve));
      order.push('end');
    });
    const saver = new BundleSaver({ save, retryIn: () => null });
    saver.schedule(10);
    await vi.advanceTimersByTimeAsync(10);
    saver.schedule(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual(['start']);
    finish();
    await saver.flush();
    expect(order).toEqual(['start', 'end', 'start', 'end']);
  });

  it('tries a failed save again when told to, and not when told to give up', async () => {
    const save = vi.fn(async () => {
      throw new Error('offline');
    });
    let retry: number | null = 5_000;
    const saver = new BundleSaver({ save, retryIn: () => retry });
    saver.schedule(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(1);
    retry = null;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(save).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('saves what waits at once on flush, and nothing after stop', async () => {
    const save = vi.fn(async () => undefined);
    const saver = new BundleSaver({ save, retryIn: () => null });
    saver.schedule(60_000);
    await saver.flush();
    expect(save).toHaveBeenCalledTimes(1);
    saver.schedule(10);
    saver.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
  });
});
