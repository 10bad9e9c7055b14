// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'public/vendor/**', 'public/js/*.bundle.js', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Keep the domain layers free of the web framework (and analytics free of the database).
    files: ['analytics/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['express', 'mongoose', 'mongodb'], patterns: ['../server/*', '../surveys/*'] }],
    },
  },
  {
    files: ['surveys/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['express'] }],
    },
  },
);
