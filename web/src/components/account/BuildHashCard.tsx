'use client';

import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { servedBuildHash, type BuildHash } from '../../lib/build-hash';

/**
 * The hash of the web client this browser was served, to compare out of band with
 * `npm run verify-instance`. Honest about its limit: a server that changed the client
 * can change this page too, so only a check made elsewhere proves anything.
 */
export function BuildHashCard() {
  const [result, setResult] = useState<BuildHash | null>(null);
  const { t } = useTranslation();

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
      <h2 id="build-title">{t('account.build.title')}</h2>
      <p className="muted">
        <Trans i18nKey="account.build.explain" components={{ code: <code /> }} />
      </p>
      {result === null ? (
        <p className="muted small">{t('account.build.computing')}</p>
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
        <Trans i18nKey="account.build.limit" components={{ code: <code /> }} />
      </p>
    </section>
  );
}
