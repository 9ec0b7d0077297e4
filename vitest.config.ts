import { defineConfig } from 'vitest/config';

/**
 * Every DynamoDB Local the tests start (the run's runtime, test/support/run-runtime.ts; the `npm start` of
 * start-command.test.ts; the clocked runtimes run on the run's) runs with the client JIT only and the
 * serial collector: a test run is short and shares two cores, and the server JIT's and the parallel GC's
 * threads cost more CPU than they give back (measured: half the JVM's CPU time for the same requests,
 * docs/testing.md). Read by the `java` launcher from the environment each process inherits; `npm start`
 * and the benchmarks are unchanged, and a value already set (empty included) is kept.
 */
process.env.JDK_JAVA_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * Four projects, all run by `npm test`:
 * - unit: pure code, no I/O;
 * - integration: handlers through the local gateway on real DynamoDB Local + cognito-local, started once
 *   per run by the global setup (test/support/run-runtime.ts);
 * - blackbox: the contract over HTTP only, against API_URL or else the same run's local runtime;
 * - infra: CDK synthesis of every stage and assertions on the templates.
 *
 * After the run, test/support/project-times.ts prints how long each project took.
 */
export default defineConfig({
  test: {
    // Two workers on two cores: a file waits on DynamoDB Local, cognito-local or a browser much of its
    // time, and the infra project's synthesis runs beside the integration files instead of after them
    // (one worker: vitest 371 s idle; two: 265 s). The files share one set of emulators and keep to
    // their own users, departments and keys; the bounds that guard start-ups hold on a loaded machine
    // (docs/testing.md).
    maxWorkers: 2,
    // The default output, then the time each project took (test/support/project-times.ts).
    reporters: ['default', './test/support/project-times.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code: the files share their worker and its modules instead of a fresh process and module
          // graph each (unit alone, loaded machine: 46 s of CPU isolated, 13 s shared). A file that needs
          // modules to read another environment imports fresh copies (vi.resetModules, vi.stubEnv).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'blackbox',
          include: ['test/blackbox/**/*.test.ts'],
          globalSetup: ['test/blackbox/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          // One file that collects the folder's other test files (test/infra/all.test.ts), so they run
          // in one worker: aws-cdk-lib, the CloudFormation validation engine and the bundling pass load
          // once and test/infra/synth.ts synthesizes each stage once per run. Files of their own would
          // each go to whichever of the two workers is free (vitest cannot give one project one worker
          // beside the others), and each worker would load and synthesize it all again.
          include: ['test/infra/all.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
