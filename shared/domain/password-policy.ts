import type { ErrorDetail } from '#contract/common.ts';

/**
 * The password policy of every stage's user pool (min 12, upper, lower, digit, symbol), checked by the
 * API too: cognito-local enforces none, and a rule named in the 400 beats Cognito's generic message.
 */
export const PASSWORD_RULES = [
  { rule: 'min_length', test: (p: string) => p.length >= 12, message: 'must be at least 12 characters' },
  { rule: 'uppercase', test: (p: string) => /\p{Lu}/u.test(p), message: 'must contain an uppercase letter' },
  { rule: 'lowercase', test: (p: string) => /\p{Ll}/u.test(p), message: 'must contain a lowercase letter' },
  { rule: 'digit', test: (p: string) => /\d/.test(p), message: 'must contain a digit' },
  {
    rule: 'symbol',
    // Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space
    test: (p: string) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(p),
    message: 'must contain a symbol',
  },
] as const;

export const passwordProblems = (password: string, field = 'body.password'): ErrorDetail[] =>
  PASSWORD_RULES.filter((r) => !r.test(password)).map((r) => ({
    field,
    code: `password_${r.rule}`,
    message: r.message,
  }));

/** Self sign-up is limited to the stage's e-mail domains (exact domain match, case-insensitive). */
export const emailDomainAllowed = (email: string, allowedDomains: readonly string[]): boolean => {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return allowedDomains.includes(domain);
};
