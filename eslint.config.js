import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'worker_threads',
];
const nodeModulePatterns = [
  { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
  ...NODE_BUILTINS.map((m) => ({
    group: [m, `${m}/*`],
    message: 'The renderer runs in a sandboxed page: no Node modules.',
  })),
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'tests/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // One direction of imports: renderer → contract ← hosts → services → db.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '**/db'],
              message: 'The renderer talks to data only through the contract API.',
            },
            {
              group: ['**/electron/**', 'electron'],
              message: 'The renderer must not import main-side code.',
            },
            { group: ['better-sqlite3', 'sharp'], message: 'Native modules belong to the main side.' },
            ...nodeModulePatterns,
          ],
        },
      ],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '**/electron/**', '**/renderer/**', 'electron', 'better-sqlite3'],
              message: 'The contract imports nothing but zod.',
            },
            ...nodeModulePatterns,
          ],
        },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', 'electron'],
              message: 'db/ must not depend on the main side or Electron.',
            },
            { group: ['**/renderer/**'], message: 'db/ must not depend on the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'Services are plain Node: Electron stays in the shell.' },
            {
              group: ['**/renderer/**', '**/host/**', '**/shell/**'],
              message: 'Services must not depend on hosts or the UI.',
            },
          ],
        },
      ],
    },
  },
);
