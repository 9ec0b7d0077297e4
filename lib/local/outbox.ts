import { appendFileSync } from 'node:fs';

/**
 * LOCAL ONLY: the e-mails Cognito would send. cognito-local "delivers" a code by printing a box to its
 * output (Username, Destination, Code); this reads that output, labels each code with what it is for
 * (the purpose the API asked for, remembered by the local Cognito proxy), prints it in the `npm start`
 * output and appends it to a JSON-lines file, from which tests read the codes. In AWS the same codes go
 * by e-mail and appear nowhere else.
 */
export interface Delivery {
  at: string;
  to: string;
  username: string;
  code: string;
  purpose: string;
}

const PURPOSE_TEXT: Record<string, string> = {
  password_reset: 'password reset code',
  registration_attempt:
    'someone tried to register with this address, which already has an account; sign in, or reset the password with this code',
  sign_up: 'sign-up confirmation code',
};

export const describeDelivery = (delivery: Delivery): string =>
  `  ✉ LOCAL ONLY — e-mail Cognito would send to ${delivery.to}: ${PURPOSE_TEXT[delivery.purpose] ?? delivery.purpose}: ${delivery.code}`;

// ANSI colour codes in cognito-local's boxes.
const ANSI = /\u001b\[[0-9;]*m/g;
const FIELD = /(Username|Destination|Code):\s+(\S+)/;

/** The operation cognito-local names on the log line that opens a box. */
const OPERATION = /\b(SignUp|ForgotPassword|ResendConfirmationCode|AdminCreateUser)\b/;

/**
 * Reads cognito-local's output chunk by chunk: a box starts with "Confirmation Code Delivery" on a log
 * line that names the operation, and its fields follow on their own lines; a delivery is complete with
 * its code. A ForgotPassword code's purpose is what the API asked for (`purposeOf`, by address).
 */
export const createOutbox = (options: {
  file: string | undefined;
  purposeOf: (address: string) => string | undefined;
  print: (line: string) => void;
  /** Purposes not worth showing (sign-up codes where the stage confirms accounts itself). */
  quiet?: readonly string[];
}) => {
  let pending = '';
  let fields: Record<string, string> | undefined;
  let operation = '';
  const deliveries: Delivery[] = [];
  const line = (text: string) => {
    const clean = text.replace(ANSI, '');
    const named = OPERATION.exec(clean);
    if (named) operation = named[1]!;
    if (clean.includes('Confirmation Code Delivery')) {
      fields = {};
      return;
    }
    const match = fields ? FIELD.exec(clean) : null;
    if (!fields || !match) return;
    fields[match[1]!] = match[2]!;
    if (match[1] !== 'Code') return;
    const username = fields.Username ?? '';
    const to = fields.Destination ?? username;
    const delivery: Delivery = {
      at: new Date().toISOString(),
      to,
      username,
      code: fields.Code!,
      purpose: operation === 'ForgotPassword' ? (options.purposeOf(to) ?? 'password_reset') : 'sign_up',
    };
    fields = undefined;
    if (options.quiet?.includes(delivery.purpose)) return;
    deliveries.push(delivery);
    options.print(describeDelivery(delivery));
    if (options.file) appendFileSync(options.file, `${JSON.stringify(delivery)}\n`);
  };
  return {
    deliveries,
    write: (chunk: Buffer | string) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(line);
    },
  };
};
