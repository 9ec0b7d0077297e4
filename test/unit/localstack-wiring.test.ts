import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * LocalStack cannot run on these machines (it needs Docker and an auth token), so its wiring is checked
 * by shape: the compose file and the npm scripts that deploy the `local` stage and run the black-box
 * suite against it.
 */
const root = join(import.meta.dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'localstack.yml'), 'utf8')) as {
  services: Record<
    string,
    { image: string; ports: string[]; environment: Record<string, string>; volumes: string[] }
  >;
};
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('localstack.yml', () => {
  const service = compose.services.localstack!;

  it('pins a calendar-versioned release of the one image LocalStack publishes since 2026 (a default tag, never latest)', () => {
    const match = /^localstack\/localstack:\$\{LOCALSTACK_VERSION:-(\d{4})\.(\d{2})\.(\d+)\}$/.exec(
      service.image,
    );
    expect(match, service.image).not.toBeNull();
    // Calendar releases start at 2026.03 (the consolidation); all of them run nodejs24.x functions.
    const [, year, month] = match!.map(Number);
    expect(year! * 100 + month!).toBeGreaterThanOrEqual(202603);
  });

  it('takes the auth token from the environment and refuses to start without it', () => {
    expect(service.environment.LOCALSTACK_AUTH_TOKEN).toMatch(/^\$\{LOCALSTACK_AUTH_TOKEN:\?.+\}$/);
    expect(readFileSync(join(root, 'localstack.yml'), 'utf8')).not.toMatch(/ls-[A-Za-z0-9]{8,}/);
  });

  it('mounts the Docker socket so Lambda functions can run, and binds the gateway to loopback', () => {
    expect(service.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(service.ports).toContain('127.0.0.1:4566:4566');
  });
});

describe('npm scripts for the LocalStack path', () => {
  it('starts LocalStack through the prerequisite check, and stops it from the compose file', () => {
    expect(scripts['localstack:up']).toBe('tsx bin/localstack-up.ts');
    expect(readFileSync(join(root, 'bin/localstack-up.ts'), 'utf8')).toMatch(
      /'compose', '-f', COMPOSE_FILE, 'up', '-d', '--wait'/,
    );
    expect(scripts['localstack:down']).toBe('docker compose -f localstack.yml down');
  });

  it('deploys the local stage with cdklocal and writes the outputs the black-box suite needs', () => {
    expect(scripts['deploy:localstack']).toMatch(/cdklocal bootstrap -c stage=local/);
    expect(scripts['deploy:localstack']).toMatch(/cdklocal deploy -c stage=local .*--outputs-file/);
  });

  it('runs the black-box project, which targets API_URL when it is set', () => {
    expect(scripts['test:blackbox']).toBe('vitest run --project blackbox');
    expect(readFileSync(join(root, 'test/blackbox/global-setup.ts'), 'utf8')).toMatch(
      /process\.env\.API_URL/,
    );
  });
});
