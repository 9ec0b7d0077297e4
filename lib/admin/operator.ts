import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { cognito } from '../../shared/data/cognito/client.ts';
import type { AuditRequestContext, Operator } from '../../shared/domain/audit.ts';
import type { Target } from './target.ts';

/** The person at the terminal: the OS user and host (an unnamed account is still told apart by host). */
const person = (): string => {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown-user';
  }
  return `${name}@${hostname()}`;
};

/**
 * The operator as audit records name them (actor type `operator`): the person at the terminal and the
 * credentials they act with — the AWS access key of the deployment credentials for a stage (CloudTrail
 * names the IAM principal behind it), or the local runtime.
 */
export const operatorOf = async (target: Pick<Target, 'stage'>): Promise<Operator> => {
  if (target.stage === 'local') return { kind: 'operator', id: `${person()} (local runtime)` };
  const credentials = await cognito.config.credentials();
  return { kind: 'operator', id: `${person()} (AWS access key ${credentials.accessKeyId})` };
};

/** One context per CLI invocation: its request id ties together the records that invocation writes. */
export const operatorContext = async (target: Pick<Target, 'stage'>): Promise<AuditRequestContext> => ({
  principal: await operatorOf(target),
  requestId: randomUUID(),
  sourceIp: 'cli',
  userAgent: 'mha-admin-cli',
});
