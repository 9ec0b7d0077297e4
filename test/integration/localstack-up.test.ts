import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/**
 * `npm run localstack:up` (bin/localstack-up.ts) with a fake `docker` on PATH: a shell script that logs
 * its arguments and plays a daemon that is up or down and a Compose plugin that is there or not.
 */
const fakeDocker = (): { dir: string; log: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'mha-fake-docker-'));
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'docker'),
    [
      '#!/bin/sh',
      `echo "$*" >> "${log}"`,
      'case "$1" in',
      '  version) echo 27.0.0; exit 0 ;;',
      '  info) [ "$FAKE_DAEMON" = up ] && exit 0; echo "Cannot connect to the Docker daemon" >&2; exit 1 ;;',
      '  compose) [ "$FAKE_COMPOSE" = yes ] && exit 0; echo "unknown shorthand flag: \'f\' in -f" >&2; exit 125 ;;',
      'esac',
      'exit 1',
    ].join('\n'),
  );
  chmodSync(join(dir, 'docker'), 0o755);
  writeFileSync(log, '');
  return { dir, log };
};

const run = (path: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/localstack-up.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { HOME: process.env.HOME ?? '/tmp', PATH: path, ...env },
    timeout: 60_000,
  });

const nodeDir = dirname(process.execPath);

describe('npm run localstack:up checks its prerequisites first', () => {
  it('without docker and without a token: both named in one message, exit 1', () => {
    const result = run(nodeDir, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Cannot start LocalStack:\n/);
    expect(result.stderr).toContain('Docker is not installed: no `docker` command on PATH');
    expect(result.stderr).toContain('LOCALSTACK_AUTH_TOKEN is not set');
  }, 60_000);

  it('a stopped daemon and a missing Compose plugin: both named, nothing started, no docker error text', () => {
    const docker = fakeDocker();
    const result = run(`${docker.dir}:${nodeDir}`, { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The Docker daemon is not reachable');
    expect(result.stderr).toContain('The Docker Compose plugin is missing');
    expect(result.stderr).not.toContain('LOCALSTACK_AUTH_TOKEN');
    expect(result.stderr).not.toContain('unknown shorthand flag');
    expect(readFileSync(docker.log, 'utf8')).not.toMatch(/compose -f/);
  }, 60_000);

  it('with everything there: starts localstack.yml with Compose and waits for it', () => {
    const docker = fakeDocker();
    const result = run(`${docker.dir}:${nodeDir}`, {
      LOCALSTACK_AUTH_TOKEN: 'ls-test-token',
      FAKE_DAEMON: 'up',
      FAKE_COMPOSE: 'yes',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(docker.log, 'utf8')).toContain(
      `compose -f ${join(REPO_ROOT, 'localstack.yml')} up -d --wait`,
    );
  }, 60_000);
});
