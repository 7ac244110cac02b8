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
  // The renderer takes only types from the contract modules that build zod schemas: zod's eval probe
  // would put a Function constructor into a bundle that must have none. Constants live in domain.ts.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['schemas', 'channels', 'exports', 'progress', 'result', 'index'].map(
                (m) => `**/contract/${m}.js`,
              ),
              allowTypeImports: true,
              message:
                'Import only types from this contract module; plain constants live in contract/domain.ts.',
            },
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
  // Chart specs shared by the screen (renderer SVG) and paper (main-side PDF): pure TypeScript.
  {
    files: ['charts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/db/**',
                '**/electron/**',
                '**/renderer/**',
                'electron',
                'better-sqlite3',
                'sharp',
                'pdfkit',
                'react',
                'react-dom',
                'react/*',
              ],
              message: 'charts/ is pure TypeScript shared by renderer and PDF: it imports only contract/.',
            },
            ...nodeModulePatterns,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname', 'global'].map(
          (name) => ({ name, message: 'charts/ runs on both sides: no DOM, no Node.' }),
        ),
      ],
      // charts/ ends up in the renderer bundle: like the renderer, only types from zod-building modules.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['schemas', 'channels', 'exports', 'progress', 'result', 'index'].map(
                (m) => `**/contract/${m}.js`,
              ),
              allowTypeImports: true,
              message:
                'Import only types from this contract module; plain constants live in contract/domain.ts.',
            },
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
