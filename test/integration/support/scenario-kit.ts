import type { Account } from './accounts.ts';

/** The callers of PRIVACY.md's roles, as the authorization matrix plays them against every route. */
export const ACTORS = [
  'anonymous',
  'employeeSelf',
  'employeeOther',
  'managerOfDepartment',
  'managerOfOther',
  'clinicianWithConsent',
  'clinicianWithoutConsent',
  'admin',
  'machine',
] as const;
export type Actor = (typeof ACTORS)[number];

export interface ScenarioContext {
  /** The employee whose data the request is about ("self" for employeeSelf). */
  subject: Account;
  actor: Actor;
  /** The subject's department, managed by managerOfDepartment (managerOfOther manages another). */
  departmentId: string;
}

export interface Scenario {
  /** The request the actor makes; valid input, so the status shows the access decision. */
  request(context: ScenarioContext): { path: string; init?: RequestInit };
  expected: Record<Actor, number>;
  /**
   * Runs before the request; a `token` it returns replaces the actor's own. For calls that would
   * destroy the matrix's shared accounts (DELETE /users/me): the same kind of caller, on a throwaway
   * account of its own.
   */
  prepare?(context: ScenarioContext): Promise<{ token?: string }>;
  /**
   * Whose data an allowed answer legitimately shows: `subject` (e.g. a manager reading a member's
   * profile) or `all` (an admin's user list, the subject's own access log naming who read it). Every
   * other actor's answer must carry no other test user's id or e-mail.
   */
  reveals?: Partial<Record<Actor, 'subject' | 'all'>>;
}

export const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const all = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((actor) => [actor, status])) as Record<Actor, number>;

/**
 * Every signed-in user may call; no token is a 401; a machine token lacks the user scope the method
 * demands, so the authorizer refuses it with 401 too.
 */
export const signedInUsers = (status: number): Record<Actor, number> => ({
  ...all(status),
  anonymous: 401,
  machine: 401,
});
