import tseslint from 'typescript-eslint';

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
  ...layerRules(),
);

/**
 * The layer direction (docs/extending.md, "Layers"): contract ← domain ← data ← http ← functions, with
 * observability beside domain (it may use the contract only). A layer imports only the ones to its left;
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
    http: ['contract', 'domain', 'observability', 'data'],
  };
  const layers = Object.keys(MAY_IMPORT);
  /** An import of one of `names`, by alias or by a relative path into shared/. */
  const importOf = (names) => `^(#(${names.join('|')})/|(\\.\\./)+(shared/)?(${names.join('|')})/)`;
  const restrict = (files, patterns) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  });
  const runtimeOnly = {
    regex: '^(\\.\\./)+(lib|bin|test|bench)/',
    message: 'Runtime code may not import lib/, bin/, test/ or bench/.',
  };
  return [
    ...layers.map((layer) => {
      const forbidden = layers.filter((other) => other !== layer && !MAY_IMPORT[layer].includes(other));
      return restrict(
        [`shared/${layer}/**/*.ts`],
        [
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
        ],
      );
    }),
    restrict(['functions/**/*.ts'], [runtimeOnly]),
  ];
}
