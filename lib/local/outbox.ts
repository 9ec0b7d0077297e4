import { appendFileSync } from 'node:fs';

/**
 * LOCAL ONLY: the e-mails Cognito would send. The local Cognito proxy (cognito-shim.ts) hands each code
 * here with what it is for (the purpose the API asked for); it is printed in the `npm start` output and
 * appended to a JSON-lines file, from which tests read the codes. In AWS the same codes go by e-mail
 * and appear nowhere else.
 */
export interface Delivery {
  at: string;
  to: string;
  code: string;
  purpose: string;
}

const PURPOSE_TEXT: Record<string, string> = {
  password_reset: 'password reset code',
  registration_attempt:
    'someone tried to register with this address, which already has an account; sign in, or reset the password with this code',
};

export const describeDelivery = (delivery: Delivery): string =>
  `  ✉ LOCAL ONLY — e-mail Cognito would send to ${delivery.to}: ${PURPOSE_TEXT[delivery.purpose] ?? delivery.purpose}: ${delivery.code}`;

export const createOutbox = (options: { file: string | undefined; print: (line: string) => void }) => {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    deliver: (delivery: Omit<Delivery, 'at'>) => {
      const entry = { at: new Date().toISOString(), ...delivery };
      deliveries.push(entry);
      options.print(describeDelivery(entry));
      if (options.file) appendFileSync(options.file, `${JSON.stringify(entry)}\n`);
    },
  };
};
