import tseslint from 'typescript-eslint';

/** A string that starts like a key of the single table (shared/data/dynamodb/keys.ts). */
const KEY_STRING =
  '/^(?:(?:USER|AGG|AGGEVENT|DEPT|DEPTNAME|AUDIT|AUDITDAY|AUDITADMIN|PURGE|PURGES|LOGIN|CLIENT|OUTBOX|ALERT|ALERTS|EMOSESSION|MSG|IDEMPOTENCY|SURVEY|SURVEYS|CONSENT|CONSENTLOG|MANAGER|MANAGES|SRC|CONTRIB|CHAT|SPEECH|VIDEO|DAY|WEEK|MONTH)#|(?:USERS|DEPTS|CLINICIANS|RISKEVENTS)$)/';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.build/**', '.local/**', 'coverage/**', 'bench/results/**'] },
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
  {
    // Key strings of the single table are built and parsed in one module (docs/data-layer.md): a key
    // prefix in a string anywhere else is a second copy of the key scheme that can drift.
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'lib/**/*.ts', 'bin/**/*.ts'],
    ignores: ['shared/data/dynamodb/keys.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Literal', 'TemplateElement'].map((node) => ({
          selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=${KEY_STRING}]`,
          message:
            'Build and parse table keys with shared/data/dynamodb/keys.ts (keys, partitions, keys.parse).',
        })),
      ],
    },
  },
);
