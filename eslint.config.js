// One lint setup for the whole tree.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'web/.next/',
      'web/out/',
      'web/next-env.d.ts',
      '.data/',
      'protocol/testdata/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The protocol runs in browsers and must not reach for Node or the DOM's storage.
    files: ['protocol/src/**/*.ts'],
    ignores: ['protocol/src/**/*.spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'localStorage',
        'sessionStorage',
        'indexedDB',
        'Buffer',
        'process',
        'fetch',
      ],
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'crypto'] }],
    },
  },
  {
    // The client core runs in a page, a worker and Node: what it needs from its host
    // comes through Platform and HttpTransport. Only the page's own implementations of
    // those may touch the DOM, and nothing secret ever goes to storage.
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/**/*.spec.ts', 'client/src/platform.ts', 'client/src/files/browser-sink.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'sessionStorage',
        'indexedDB',
        'location',
      ],
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'next', 'next/*'] }],
    },
  },
);
