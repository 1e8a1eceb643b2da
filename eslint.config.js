// Lint configuration: typescript-eslint's recommended rules over the whole project.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'node_modules/', 'test/fixtures/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
  },
  {
    // Scripts that run in the page: Paged.js handlers and the preview's client.
    files: ['build/print/paged/**/*.js', 'build/preview/**/*.js'],
    languageOptions: { globals: { ...globals.browser, Paged: 'readonly' } },
  },
  {
    // The Paged.js handlers are classic scripts sharing the page's global scope: the make-up plan's parts name
    // what they define for the others (/* exported */) and what they take from them (/* global */).
    files: ['build/print/paged/**/*.js'],
    languageOptions: { sourceType: 'script' },
  },
);
