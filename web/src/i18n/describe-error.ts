'use client';

import { describeError, errorPhrase } from '@onionchat/client';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * `describeError` in the interface language: where the core names the sentence
 * (errorPhrase) the main catalogue words it; otherwise the core says it through its
 * phrasebook (core-speaker.ts), and only a server's own sentence stays as it came.
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
