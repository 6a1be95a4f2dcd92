'use client';

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** A translated phrase inside a server component (the layout, the pages' shells). */
export function T({ k }: { k: string }) {
  const { t } = useTranslation();
  return <>{t(k)}</>;
}

/**
 * The tab title in the interface language. The static HTML carries the English title
 * (from the page's metadata); this follows the language once the page runs.
 */
export function PageTitle({ k }: { k: string }) {
  const { t, i18n } = useTranslation();
  const title = t(k);
  useEffect(() => {
    const wanted = `${title} · ${t('common.appName')}`;
    document.title = wanted;
    // The framework may write the page's English metadata title again after this ran
    // (hydration, a navigation): put the translated one back whenever it does.
    const observer = new MutationObserver(() => {
      if (document.title !== wanted) document.title = wanted;
    });
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [title, t, i18n.language]);
  return null;
}
