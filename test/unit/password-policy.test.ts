import { describe, expect, it } from 'vitest';
import { emailDomainAllowed, passwordProblems } from '#domain/password-policy.ts';

const codes = (password: string) => passwordProblems(password).map((p) => p.code);

describe('password policy (min 12, upper, lower, digit, symbol)', () => {
  it('accepts a password meeting every rule', () => {
    expect(passwordProblems('Correct-Horse-9')).toEqual([]);
  });

  it.each([
    ['Short-Pw-9', ['password_min_length']],
    ['correct-horse-9', ['password_uppercase']],
    ['CORRECT-HORSE-9', ['password_lowercase']],
    ['Correct-Horse-X', ['password_digit']],
    ['CorrectHorse99', ['password_symbol']],
    [
      '',
      [
        'password_min_length',
        'password_uppercase',
        'password_lowercase',
        'password_digit',
        'password_symbol',
      ],
    ],
  ])('%j breaks exactly %j', (password, expected) => {
    expect(codes(password)).toEqual(expected);
  });

  it('counts exactly 12 characters as long enough and 11 as too short', () => {
    expect(codes('Abcdefgh-1xy')).toEqual([]);
    expect(codes('Abcdefgh-1x')).toEqual(['password_min_length']);
  });

  it('treats a space and Cognito symbols as symbols, letters of other scripts as letters', () => {
    expect(codes('Correct horse 9')).toEqual([]);
    expect(codes('Ölçekli-Şifre-9')).toEqual([]);
  });

  it('names the body field', () => {
    expect(passwordProblems('x')[0]?.field).toBe('body.password');
  });
});

describe('e-mail domain allow-list', () => {
  it('matches the domain exactly, case-insensitively', () => {
    expect(emailDomainAllowed('ann@Example.COM', ['example.com'])).toBe(true);
    expect(emailDomainAllowed('ann@evil-example.com', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('ann@sub.example.com', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('a@b@example.com', ['example.com'])).toBe(true);
  });
});
