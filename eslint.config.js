// Lint: typescript-eslint's recommended rules, and the layout of DESIGN.md held as import boundaries.
import tseslint from 'typescript-eslint';

const CAPABILITY_FILES = 'server/*/**/*.ts';
const PLATFORM_FILES = 'server/platform/**/*.ts';
const SHOPIFY_FILES = 'server/shopify/**/*.ts';
/** Pure domain files: they decide, they do not talk to Express, the database or Shopify. */
const DOMAIN_FILES = [
  'server/*/rules.ts',
  'server/*/reversal.ts',
  'server/*/quote.ts',
  'server/*/holds.ts',
  'server/*/balance.ts',
  'server/*/keys.ts',
  'server/*/expiry.ts',
  'server/*/economics.ts',
  'server/*/view.ts',
  'server/platform/money.ts',
];
const INFRASTRUCTURE = ['express', 'mongoose', 'mongodb', '@shopify/*', 'pino', 'pino-http'];

/** A capability reaches another only through its index.ts; platform/ and shopify/ are open to all. */
const otherCapabilityInternals = {
  group: ['../*/*', '!../*/index.js', '!../platform/**', '!../shopify/**'],
  message: 'A capability uses another only through its index.ts (DESIGN.md).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'web/dist/**',
      'dist/**',
      'extensions/*/dist/**',
      'extensions/*/generated/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: [CAPABILITY_FILES],
    ignores: [PLATFORM_FILES, SHOPIFY_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [otherCapabilityInternals, { group: ['../../devstore/**'], message: 'The devstore is loaded by boot.ts in dev mode only.' }] },
      ],
    },
  },
  {
    files: ['server/platform/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../**'], message: 'platform/ uses no capability and not the Shopify adapter.' }] }],
    },
  },
  {
    files: ['server/platform/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../**'], message: 'platform/ uses no capability and not the Shopify adapter.' }] },
      ],
    },
  },
  {
    files: [SHOPIFY_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*/**', '!../platform/**'], message: 'shopify/ is the adapter: it uses platform/ and no capability.' }] },
      ],
    },
  },
  {
    files: ['server/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./*/*', '!./*/index.js', '!./platform/**', '!./shopify/**'],
              message: 'The composition root uses capabilities through their index.ts.',
            },
            { group: ['../devstore/**'], allowTypeImports: true, message: 'The devstore is imported dynamically, in dev mode only.' },
          ],
        },
      ],
    },
  },
  {
    files: DOMAIN_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: INFRASTRUCTURE.filter((name) => !name.includes('*')),
          patterns: [{ group: ['@shopify/*'], message: 'Domain files import no infrastructure.' }, otherCapabilityInternals],
        },
      ],
    },
  },
);
