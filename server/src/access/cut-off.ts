// Clients refused before any work while a budget they spent frees up, so a flood costs
// the server a map lookup per request rather than a database query.
import { ApiError } from '../common/api-error.js';

/** Clients over their unknown-session budget, refused before any lookup until it frees up. */
export class CutOff {
  private readonly until = new Map<string, { at: number; error: ApiError }>();

  check(client: string): void {
    const entry = this.until.get(client);
    if (!entry) return;
    if (entry.at > Date.now()) throw entry.error;
    this.until.delete(client);
  }

  async spend(client: string, consume: () => Promise<void>): Promise<void> {
    try {
      await consume();
    } catch (error) {
      const wait = Number(error instanceof ApiError ? error.headers?.['Retry-After'] : 0);
      if (error instanceof ApiError && wait > 0) {
        // Bounded: a circuit id is cheap, so forget the oldest rather than grow.
        if (this.until.size >= MAX_CUT_OFF) this.until.delete(this.until.keys().next().value!);
        this.until.set(client, { at: Date.now() + wait * 1000, error });
      }
      throw error;
    }
  }
}

const MAX_CUT_OFF = 10_000;
