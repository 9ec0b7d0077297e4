import type { Account } from './accounts.ts';

/** The callers of docs/privacy.md's roles, as the authorization matrix plays them against every route. */
export const ACTORS = [
  'anonymous',
  'employeeSelf',
  'employeeOther',
  'managerOfDepartment',
  'managerOfOther',
  'clinicianWithConsent',
  'clinicianWithoutConsent',
  'admin',
  'auditor',
  'machine',
  'adminManager',
  'adminClinician',
] as const;
export type Actor = (typeof ACTORS)[number];

/**
 * Callers that get exactly what another caller gets, unless a scenario says otherwise: an admin who is
 * also a manager (the one combination of roles the API lets an admin make), and an admin holding the
 * clinician group too — what the API refuses to make, as legacy data or a group added outside the
 * operator CLI would leave it; separation of duties says it gets nothing of a clinician's.
 */
export const SAME_AS = { adminManager: 'admin', adminClinician: 'admin' } as const satisfies Partial<
  Record<Actor, Actor>
>;
type DerivedActor = keyof typeof SAME_AS;
export type BaseActor = Exclude<Actor, DerivedActor>;
const BASE_ACTORS = ACTORS.filter((actor): actor is BaseActor => !(actor in SAME_AS));

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
  expected: Record<BaseActor, number> & Partial<Record<DerivedActor, number>>;
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

export const all = (status: number): Scenario['expected'] =>
  Object.fromEntries(BASE_ACTORS.map((actor) => [actor, status])) as Record<BaseActor, number>;

/**
 * Every signed-in user may call; no token is a 401; a machine token lacks the user scope the method
 * demands, so the authorizer refuses it with 401 too.
 */
export const signedInUsers = (status: number): Scenario['expected'] => ({
  ...all(status),
  anonymous: 401,
  machine: 401,
});

/** Only these actors get their status; every other signed-in actor gets `others`. */
export const only = (allowed: Partial<Record<Actor, number>>, others: number): Scenario['expected'] => ({
  ...signedInUsers(others),
  ...allowed,
});

/** The status a scenario expects for an actor (a derived actor's is its model's unless stated). */
export const expectedStatus = (scenario: Scenario, actor: Actor): number => {
  const stated = scenario.expected[actor as BaseActor] ?? scenario.expected[actor as DerivedActor];
  return stated ?? scenario.expected[SAME_AS[actor as DerivedActor]];
};

/** Whose data an allowed answer may show this actor (a derived actor's is its model's unless stated). */
export const revealsOf = (scenario: Scenario, actor: Actor): 'subject' | 'all' | undefined =>
  scenario.reveals?.[actor] ??
  (actor in SAME_AS ? scenario.reveals?.[SAME_AS[actor as DerivedActor]] : undefined);

/** Scenario ids whose expectations leave out a base actor (a typo in an actor name would leave a hole). */
export const missingExpectations = (scenarios: Record<string, Scenario>): string[] =>
  Object.entries(scenarios).flatMap(([id, scenario]) =>
    BASE_ACTORS.filter((actor) => typeof scenario.expected[actor] !== 'number').map(
      (actor) => `${id}: ${actor}`,
    ),
  );
