'use client';

// A component whose code is a chunk of its own, fetched when it is first shown (so it is
// not part of any page's first load). Over Tor a fetch can fail: then `failed` is shown
// with a way to ask again, instead of the whole page falling over.

import { Component, Suspense, lazy, useCallback, useState, type ComponentType, type ReactNode } from 'react';

type Loader<P> = () => Promise<{ default: ComponentType<P> }>;

interface OnDemandProps<P extends object> {
  load: Loader<P>;
  props: P;
  /** While the chunk is on its way. */
  loading: ReactNode;
  /** When it did not arrive; `retry` asks for it again. */
  failed: (retry: () => void) => ReactNode;
}

class Boundary extends Component<{ failed: ReactNode; children: ReactNode }, { error: boolean }> {
  override state = { error: false };

  static getDerivedStateFromError(): { error: boolean } {
    return { error: true };
  }

  override render() {
    return this.state.error ? this.props.failed : this.props.children;
  }
}

const lazies = new WeakMap<Loader<never>, ComponentType<never>>();

/**
 * One lazy component per loader, so that showing it again (another mount, another page)
 * renders at once instead of waiting a turn on a module that is already here.
 */
function lazyOf<P>(load: Loader<P>, fresh = false): ComponentType<P> {
  let made = fresh ? undefined : (lazies.get(load as Loader<never>) as ComponentType<P> | undefined);
  if (!made) {
    made = lazy(load);
    lazies.set(load as Loader<never>, made as ComponentType<never>);
  }
  return made;
}

export function OnDemand<P extends object>({ load, props, loading, failed }: OnDemandProps<P>) {
  // React.lazy remembers a failure: asking again takes a fresh one (the chunk loader
  // itself forgets failed fetches).
  const [attempt, setAttempt] = useState(0);
  const [Loaded, setLoaded] = useState(() => lazyOf(load));
  const retry = useCallback(() => {
    const fresh = lazyOf(load, true);
    setLoaded(() => fresh);
    setAttempt((n) => n + 1);
  }, [load]);
  return (
    <Boundary key={attempt} failed={failed(retry)}>
      <Suspense fallback={loading}>
        <Loaded {...props} />
      </Suspense>
    </Boundary>
  );
}
