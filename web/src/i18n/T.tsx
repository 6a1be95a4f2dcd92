'use client';

import { useDocumentTitle } from '../hooks/use-document-title';
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
  const { t } = useTranslation();
  useDocumentTitle(`${t(k)} · ${t('common.appName')}`);
  return null;
}
