'use client';

import { describeError, errorPhrase } from '@onionchat/client';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * `describeError` in the interface language: the core names the sentence (errorPhrase)
 * and the catalogue words it; a sentence the core only has in English stays English.
 */
export function useDescribeError(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      const phrase = errorPhrase(error);
      return phrase ? t(phrase.key, { ...phrase.values }) : describeError(error);
    },
    [t],
  );
}
