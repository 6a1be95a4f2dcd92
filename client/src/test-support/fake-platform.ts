// A platform for unit tests: visibility and connectivity the test sets.

import type { Platform, PlatformEvent } from '../platform.js';

export class FakePlatform implements Platform {
  isVisible = true;
  isOffline = false;
  private readonly listeners = new Map<PlatformEvent, Set<() => void>>();

  visible(): boolean {
    return this.isVisible;
  }

  offline(): boolean {
    return this.isOffline;
  }

  on(event: PlatformEvent, listener: () => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  monotonic(): number {
    return performance.now();
  }

  breathe(): Promise<void> {
    return Promise.resolve();
  }

  setVisible(visible: boolean): void {
    this.isVisible = visible;
    for (const listener of this.listeners.get('visibility') ?? []) listener();
  }

  fire(event: PlatformEvent): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
}
