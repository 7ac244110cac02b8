import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layersPlugin } from './lint/layerRules.js';

// Which contract modules build zod schemas: the renderer and charts/ take only types from them, but
// for the one renderer module that checks a form's input before it is sent (CHECKS_INPUT).
const ZOD_BUILDING = ['schemas', 'channels', 'exports', 'progress', 'result', 'jitless'].map(
  (m) => `**/contract/${m}.js`,
);
const CHECKS_INPUT = 'renderer/src/forms/checkInput.ts';

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
  // One direction of imports, as an allow-list per layer (lint/layers.js, shown in the README).
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error', 'layers/no-sql': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Chart specs shared by the screen (renderer SVG) and paper (main-side PDF): pure TypeScript.
  {
    files: ['charts/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname', 'global'].map(
          (name) => ({ name, message: 'charts/ runs on both sides: no DOM, no Node.' }),
        ),
      ],
    },
  },
  // The renderer and charts/ (which ends up in the renderer bundle) take only types from the contract
  // modules that build zod schemas. Constants live in domain.ts. One module runs the schemas: it
  // switches zod to jitless first (contract/jitless.ts), so zod never tries `new Function` under the
  // renderer's CSP; keeping every other file to types keeps that switch ahead of any parse.
  {
    files: ['renderer/**/*.{ts,tsx}', 'charts/**/*.ts'],
    ignores: [CHECKS_INPUT],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ZOD_BUILDING,
              allowTypeImports: true,
              message:
                'Import only types from this contract module; plain constants live in contract/domain.ts.',
            },
          ],
        },
      ],
    },
  },
);
