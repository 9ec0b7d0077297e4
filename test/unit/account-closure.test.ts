import './support/test-env.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AccountClosure from '#data/cognito/users.ts';
import type * as CognitoClient from '#data/cognito/client.ts';

/**
 * The Cognito side of an erasure as it behaves in AWS (no emulator endpoint in this environment):
 * Cognito's answers are injected on the client (faults an emulator cannot produce on demand).
 */
let closure: typeof AccountClosure;
let client: typeof CognitoClient;

beforeAll(async () => {
  vi.stubEnv('COGNITO_USER_POOL_ID', 'eu-west-1_TestPool');
  // AWS, not the emulator: another test file in this worker may have set an emulator endpoint.
  vi.stubEnv('COGNITO_ENDPOINT', undefined);
  // The unit files share their worker's modules (vitest.config.ts): a fresh copy reads this environment,
  // not the one of the file that imported the client first.
  vi.resetModules();
  client = await import('#data/cognito/client.ts');
  closure = await import('#data/cognito/users.ts');
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  vi.unstubAllEnvs();
});

const named = (name: string) => Object.assign(new Error(name), { name });
const commandsSent = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((call) => (call[0] as { constructor: { name: string } }).constructor.name);

describe('closeCognitoAccount (AWS)', () => {
  it('disables the user and signs it out everywhere, addressed by its sub', async () => {
    const send = vi.spyOn(client.cognito, 'send').mockResolvedValue({} as never);
    expect(await closure.closeCognitoAccount('sub-1')).toBe('signed_out');
    expect(commandsSent(send)).toEqual(['AdminDisableUserCommand', 'AdminUserGlobalSignOutCommand']);
    expect((send.mock.calls[0]![0] as { input: unknown }).input).toEqual({
      UserPoolId: 'eu-west-1_TestPool',
      Username: 'sub-1',
    });
  });

  it('does not hide an error in AWS, even one named like the emulator’s "not implemented"', async () => {
    for (const name of ['Unsupported', 'TooManyRequestsException', 'NotAuthorizedException']) {
      vi.spyOn(client.cognito, 'send').mockImplementation((async (command: object) => {
        if (command.constructor.name === 'AdminUserGlobalSignOutCommand') throw named(name);
        return {};
      }) as never);
      await expect(closure.closeCognitoAccount('sub-1')).rejects.toMatchObject({ name });
      vi.restoreAllMocks();
    }
  });

  it('treats a user already gone from the pool as closed', async () => {
    vi.spyOn(client.cognito, 'send').mockRejectedValue(named('UserNotFoundException') as never);
    expect(await closure.closeCognitoAccount('sub-1')).toBe('already_absent');
    expect(await closure.deleteCognitoUser('sub-1')).toBe('already_absent');
  });
});

describe('isEmulatorUnsupported', () => {
  it('recognises cognito-local’s answer and nothing of AWS’s', () => {
    expect(closure.isEmulatorUnsupported(named('Unsupported'))).toBe(true);
    expect(
      closure.isEmulatorUnsupported(
        new Error(
          'Cognito Local unsupported feature: Unsupported x-amz-target header "AdminUserGlobalSignOut"',
        ),
      ),
    ).toBe(true);
    expect(closure.isEmulatorUnsupported(named('UnsupportedOperationException'))).toBe(false);
    expect(closure.isEmulatorUnsupported(named('InternalErrorException'))).toBe(false);
  });
});
