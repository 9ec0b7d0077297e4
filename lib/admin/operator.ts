import { randomUUID } from 'node:crypto';
import type { AuditRequestContext } from '../../shared/domain/audit.ts';
import type { Principal } from '../../shared/domain/principal.ts';

/** The operator at a terminal, as audit records name them: a machine actor without scopes. */
export const OPERATOR: Principal = { kind: 'machine', clientId: 'operator-cli', scopes: [] };

/** One context per CLI invocation: its request id ties together the records that invocation writes. */
export const operatorContext = (): AuditRequestContext => ({
  principal: OPERATOR,
  requestId: randomUUID(),
  sourceIp: 'cli',
  userAgent: 'mha-admin-cli',
});
