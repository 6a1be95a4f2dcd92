// A background job keeps running after a failure, says what failed, and stops when told.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@nestjs/common';
import { every } from './every.js';

afterEach(() => vi.useRealTimers());

describe('every', () => {
  it('runs the job each period, logs a failure and goes on, and stops when told', async () => {
    vi.useFakeTimers();
    const logger = new Logger('test');
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    let runs = 0;
    const stop = every(
      1000,
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('store down');
      },
      logger,
      'the sweep',
    );
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toBe(2);
    expect(errors).toHaveBeenCalledWith('the sweep failed: store down');
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });
});
