import { randomInt } from 'node:crypto';
import { passwordProblems } from '../../shared/domain/password-policy.ts';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
/** Symbols from Cognito's set that need no quoting in a shell word and do not start an option. */
const SYMBOLS = '@%+=._';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)]!;

/**
 * A random password that satisfies the pool's policy: one character of each class, the rest from all
 * of them (about 6 bits each: 24 characters ≈ 140 bits), shuffled with a CSPRNG, starting with a letter.
 * Look-alike characters (I, l, O, 0, 1) are left out because the operator may type it.
 */
export const generatePassword = (length = 24): string => {
  if (length < 12) throw new Error('a generated password has at least 12 characters');
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  const firstLetter = chars.findIndex((c) => UPPER.includes(c) || LOWER.includes(c));
  [chars[0], chars[firstLetter]] = [chars[firstLetter]!, chars[0]!];
  const password = chars.join('');
  if (passwordProblems(password).length > 0) throw new Error('generated password breaks the policy');
  return password;
};
