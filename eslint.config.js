import tseslint from 'typescript-eslint';

/** A string that starts like a key of the single table (shared/data/dynamodb/keys.ts). */
const KEY_STRING =
  '/^(?:(?:USER|AGG|AGGEVENT|DEPT|DEPTNAME|AUDIT|AUDITDAY|AUDITADMIN|PURGE|PURGES|LOGIN|CLIENT|OUTBOX|ALERT|ALERTS|EMOSESSION|MSG|IDEMPOTENCY|SURVEY|SURVEYS|CONSENT|CONSENTLOG|MANAGER|MANAGES|SRC|CONTRIB|CHAT|SPEECH|VIDEO|DAY|WEEK|MONTH)#|(?:USERS|DEPTS|CLINICIANS|RISKEVENTS)$)/';

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
  ...layerRules(),
  {
    // Key strings of the single table are built and parsed in one module (docs/data-layer.md): a key
    // prefix in a string anywhere else is a second copy of the key scheme that can drift.
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'lib/**/*.ts', 'bin/**/*.ts'],
    ignores: ['shared/data/dynamodb/keys.ts', 'shared/data/dynamodb/partitions.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Literal', 'TemplateElement'].map((node) => ({
          selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=${KEY_STRING}]`,
          message:
            'Build and parse table keys with shared/data/dynamodb/keys.ts (keys, keys.parse) and partitions.ts.',
        })),
      ],
    },
  },
);

/**
 * The layer direction (docs/extending.md, "Layers"): contract ← domain ← data ← http ← functions, with
 * observability beside domain (it may use the contract only) and workflows beside http (they use the
 * data layer; only functions/ and lib/ call them). A layer imports only the ones to its left;
 * lib/ and bin/ may import shared/ and functions/, never the reverse. Checked for the path aliases
 * (#contract/…) and for relative paths alike, type-only imports included. (Dynamic `import()` is not
 * checked; no runtime module uses one across layers.)
 */
function layerRules() {
  /** The layers of shared/, each with the ones it may import. */
  const MAY_IMPORT = {
    contract: [],
    domain: ['contract'],
    observability: ['contract'],
    data: ['contract', 'domain', 'observability'],
    workflows: ['contract', 'domain', 'observability', 'data'],
    http: ['contract', 'domain', 'observability', 'data'],
  };
  const layers = Object.keys(MAY_IMPORT);
  /** An import of one of `names`, by alias or by a relative path into shared/. */
  const importOf = (names) => `^(#(${names.join('|')})/|(\\.\\./)+(shared/)?(${names.join('|')})/)`;
  const restrict = (files, patterns, ignores = []) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  });
  // Cognito is called through its adapters in shared/data/cognito/ (one function per operation), so
  // that an operation has one path with one way of treating a user that is already gone.
  const COGNITO_ADAPTERS = 'shared/data/cognito/**/*.ts';
  const cognitoSdk = {
    group: ['@aws-sdk/client-cognito-identity-provider'],
    message: 'Call Cognito through shared/data/cognito/ (docs/data-layer.md).',
  };
  const runtimeOnly = {
    regex: '^(\\.\\./)+(lib|bin|test|bench)/',
    message: 'Runtime code may not import lib/, bin/, test/ or bench/.',
  };
  return [
    ...layers.flatMap((layer) => {
      const forbidden = layers.filter((other) => other !== layer && !MAY_IMPORT[layer].includes(other));
      const patterns = [
        ...(forbidden.length > 0
          ? [
              {
                regex: importOf(forbidden),
                message: `shared/${layer} may import only ${MAY_IMPORT[layer].join(', ') || 'itself'} of shared/ (layer direction).`,
              },
            ]
          : []),
        runtimeOnly,
        { regex: '^(\\.\\./)+functions/', message: 'shared/ may not import functions/.' },
      ];
      const files = [`shared/${layer}/**/*.ts`];
      return layer === 'data'
        ? [
            restrict(files, [...patterns, cognitoSdk], [COGNITO_ADAPTERS]),
            restrict([COGNITO_ADAPTERS], patterns),
          ]
        : [restrict(files, [...patterns, cognitoSdk])];
    }),
    restrict(['functions/**/*.ts'], [runtimeOnly, cognitoSdk]),
  ];
}
