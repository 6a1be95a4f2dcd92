// What the client needs from where it runs, so the core holds no `window` or
// `document`: a page, a Web Worker, Node and unit tests each pass their own.

export type PlatformEvent = 'visibility' | 'online' | 'offline';

export interface Platform {
  /** The person can see the app now (a hidden tab does not read messages). */
  visible(): boolean;
  /** The device says it has no network at all. */
  offline(): boolean;
  on(event: PlatformEvent, listener: () => void): () => void;
  /** A monotonic clock in ms (for speeds, stalls and time slices). */
  monotonic(): number;
  /** Lets the page repaint between expensive steps (signature checks are slow without a JIT). */
  breathe(): Promise<void>;
}

/** A page (or a worker, where there is no document): the browser's own signals. */
export function browserPlatform(): Platform {
  const hasDocument = typeof document !== 'undefined';
  return {
    visible: () => !hasDocument || document.visibilityState === 'visible',
    offline: () => typeof navigator !== 'undefined' && navigator.onLine === false,
    on(event, listener) {
      // A worker has no document, so its visibility never changes.
      if (event === 'visibility' && !hasDocument) return () => {};
      const target: EventTarget = event === 'visibility' ? document : globalThis;
      const name = event === 'visibility' ? 'visibilitychange' : event;
      target.addEventListener(name, listener);
      return () => target.removeEventListener(name, listener);
    },
    monotonic: () => performance.now(),
    breathe: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}

/** Node (the terminal client): always visible and online; the terminal has no such signals. */
export function nodePlatform(): Platform {
  return {
    visible: () => true,
    offline: () => false,
    on: () => () => {},
    monotonic: () => performance.now(),
    breathe: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}
