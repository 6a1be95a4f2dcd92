'use client';

import { useEffect, useState } from 'react';
import { servedBuildHash, type BuildHash } from '../../lib/build-hash';

/**
 * The hash of the web client this browser was served, to compare out of band with
 * `npm run verify-instance`. Honest about its limit: a server that changed the client
 * can change this page too, so only a check made elsewhere proves anything.
 */
export function BuildHashCard() {
  const [result, setResult] = useState<BuildHash | null>(null);

  useEffect(() => {
    let current = true;
    void servedBuildHash().then((value) => {
      if (current) setResult(value);
    });
    return () => {
      current = false;
    };
  }, []);

  return (
    <section className="card" aria-labelledby="build-title">
      <h2 id="build-title">Web client build</h2>
      <p className="muted">
        This is the hash of the app’s files as this server sent them. To check that they are exactly the published
        source code, run <code>npm run verify-instance</code> with this site’s address on your own computer (from the
        same version of OnionChat), or ask someone you trust to run it, and compare the hash it prints with this one.
      </p>
      {result === null ? (
        <p className="muted small">Computing…</p>
      ) : 'hash' in result ? (
        <code className="fingerprint" data-testid="build-hash">
          {result.hash}
        </code>
      ) : (
        <p className="hint" role="status" data-testid="build-hash-problem">
          {result.problem}
        </p>
      )}
      <p className="hint">
        A server that altered the app could also alter this page to show the expected hash, so this number alone proves
        nothing: the check that counts is the one <code>verify-instance</code> makes from another machine.
      </p>
    </section>
  );
}
