import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      '.build/**',
      '.local/**',
      'coverage/**',
      'bench/results/**',
      'web/src/api/openapi.d.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Handler and runtime code logs through the Powertools logger, which carries the correlation id.
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
