/**
 * `npm run localstack:up`: checks what LocalStack needs — the docker CLI, a reachable Docker daemon, the
 * Compose plugin, an auth token — and says everything that is missing in one message, instead of
 * docker's own first failure (a missing Compose plugin reads `unknown shorthand flag: 'f' in -f`).
 * With everything there, starts localstack.yml and waits until LocalStack is healthy.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const COMPOSE_FILE = fileURLToPath(new URL('../localstack.yml', import.meta.url));

const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 30_000 });

/** What is missing, one line each; empty when LocalStack can start. */
const missingPrerequisites = (env: NodeJS.ProcessEnv): string[] => {
  const missing: string[] = [];
  const client = docker(['version', '--format', '{{.Client.Version}}']);
  if (client.error) {
    missing.push(
      'Docker is not installed: no `docker` command on PATH (install Docker Engine or Docker Desktop).',
    );
  } else {
    if (docker(['info', '--format', '{{.ServerVersion}}']).status !== 0)
      missing.push(
        'The Docker daemon is not reachable: start Docker (e.g. `sudo systemctl start docker`, or open Docker Desktop) and check that your user may use it (`docker info`).',
      );
    if (docker(['compose', 'version']).status !== 0)
      missing.push(
        'The Docker Compose plugin is missing: `docker compose` is not a docker command here (install the docker-compose-plugin package, or Docker Desktop).',
      );
  }
  if (!env.LOCALSTACK_AUTH_TOKEN?.trim())
    missing.push(
      'LOCALSTACK_AUTH_TOKEN is not set: every LocalStack image needs an auth token since 2026 (export LOCALSTACK_AUTH_TOKEN=<your token>; never commit it).',
    );
  return missing;
};

const missing = missingPrerequisites(process.env);
if (missing.length > 0) {
  process.stderr.write(`Cannot start LocalStack:\n${missing.map((line) => `  - ${line}`).join('\n')}\n`);
  process.exit(1);
}
const up = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'up', '-d', '--wait'], { stdio: 'inherit' });
process.exit(up.status ?? 1);
