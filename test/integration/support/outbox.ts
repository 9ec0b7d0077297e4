import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { Delivery } from '../../../lib/local/outbox.ts';

/** The local runtime's outbox: the codes Cognito would e-mail (lib/local/outbox.ts). */
const outboxFile = (): string =>
  (JSON.parse(readFileSync(inject('localStateFile'), 'utf8')) as { outboxFile: string }).outboxFile;

export const deliveriesTo = (email: string): Delivery[] =>
  readFileSync(outboxFile(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Delivery)
    .filter((delivery) => delivery.to === email.toLowerCase());

/**
 * The newest code for this address and purpose, once it has arrived: cognito-local prints it a moment
 * after the API answered, so this polls the outbox (every 25 ms, at most `timeoutMs`).
 */
export const awaitCode = async (
  email: string,
  purpose: string,
  after = 0,
  timeoutMs = 5_000,
): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = deliveriesTo(email).filter((d) => d.purpose === purpose && Date.parse(d.at) >= after);
    if (found.length > 0) return found.at(-1)!.code;
    if (Date.now() > deadline)
      throw new Error(
        `no ${purpose} code for ${email} in the outbox; it holds ${JSON.stringify(deliveriesTo(email))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
