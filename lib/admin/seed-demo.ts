import { randomUUID } from 'node:crypto';
import type { AnalysisType } from '../../shared/contract/analysis.ts';
import { runtimeEnv } from '../../shared/contract/runtime-env.ts';
import type { SurveyResponse } from '../../shared/contract/survey.ts';
import { auditRecord } from '../../shared/data/audit-repository.ts';
import { storeAnalysis } from '../../shared/data/analysis-repository.ts';
import { createDepartment } from '../../shared/data/department-repository.ts';
import { appendSurveyResponse } from '../../shared/data/survey-repository.ts';
import { createProfile, newProfile } from '../../shared/data/user-repository.ts';
import { planAnalysis } from '../../shared/domain/analysis.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import { INSTRUMENTS, scoreResponse } from '../../shared/domain/instruments/index.ts';
import { isMonthClosed, monthClosesAt } from '../../shared/domain/reporting-window.ts';
import { userTarget } from '../../shared/domain/audit.ts';
import type { Group } from '../../shared/contract/identity.ts';
import { addToGroup, createUser, setPermanentPassword } from './cognito-users.ts';
import { CliError } from './errors.ts';
import { operatorContext } from './operator.ts';
import { generatePassword } from './password.ts';
import type { Target } from './target.ts';

/**
 * `seed-demo`: a small organisation to look at the dashboard with, written through the repositories
 * (profiles, departments, analyses and survey responses with their audit records, exactly as the API
 * writes them; the stream aggregator then builds the rollups). Profiles only: the demo employees have
 * no Cognito account (sign in as an admin made with create-admin to read the overview).
 *
 * The departments are sized to show the anonymity rules at the default thresholds (k = 5, clinical 10):
 * two departments at or above 10 people, one of 7 whose clinical statistics are hidden (< 10), and one
 * of 3 below the threshold: hidden entirely, with complementary suppression around it (docs/anonymity.md).
 */
export const DEMO_DEPARTMENTS: readonly { name: string; people: number }[] = [
  { name: 'Engineering', people: 12 },
  { name: 'Customer Support', people: 10 },
  { name: 'Sales', people: 7 },
  { name: 'Legal', people: 3 },
];

export const ANALYSES_PER_PERSON = 4;
/** The questionnaires each demo person answers once. */
export const DEMO_INSTRUMENTS = ['phq9', 'gad7', 'cbi'] as const;
const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

/** A small deterministic generator, so two seeds of the demo look alike. */
const generator = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
};

const answersFor = (instrument: 'phq9' | 'gad7' | 'cbi', random: () => number): Record<string, number> => {
  const items = INSTRUMENTS[instrument].items.filter(
    (item) => item.scored !== false && item.optional !== true,
  );
  const max = instrument === 'cbi' ? 4 : 3;
  // PHQ-9 item 9 stays 0: a demo must not raise risk alerts.
  return Object.fromEntries(
    items.map((item) => [
      item.id,
      item.id === 'q9' && instrument === 'phq9' ? 0 : Math.floor(random() * (max + 1) * 0.7),
    ]),
  );
};

/** The demo organisation's people who can sign in: one per role (roles as separation of duties allows). */
export const PERSONA_ROLES = {
  employee: ['employee'],
  manager: ['employee', 'manager'],
  clinician: ['employee', 'clinician'],
  admin: ['employee', 'admin'],
  auditor: ['employee', 'auditor'],
} as const satisfies Record<string, readonly Group[]>;
export type Persona = keyof typeof PERSONA_ROLES;

type OperatorContext = Awaited<ReturnType<typeof operatorContext>>;

/** A scored response with its audit record, as POST /surveys/responses writes one. */
const writeResponse = async (
  userId: string,
  instrument: keyof typeof INSTRUMENTS,
  answers: Record<string, number>,
  submittedAt: string,
  context: OperatorContext,
  clock: Clock,
) => {
  const scored = scoreResponse(INSTRUMENTS[instrument], answers);
  if (!scored.ok) throw new Error(`demo answers for ${instrument} do not score`);
  const responseId = randomUUID();
  const response: SurveyResponse = {
    id: responseId,
    userId,
    instrument,
    version: INSTRUMENTS[instrument].version,
    answers,
    scores: scored.result.scores,
    band: scored.result.band,
    flags: [...scored.result.flags],
    ...(scored.result.subscaleBands ? { subscaleBands: { ...scored.result.subscaleBands } } : {}),
    submittedAt,
  };
  await appendSurveyResponse(
    response,
    auditRecord(
      {
        action: 'surveys.submit',
        resourceType: 'survey_response',
        resourceId: responseId,
        subjectId: userId,
        status: 201,
      },
      context,
      clock,
    ),
    context,
    clock,
  );
};

/** Cognito account (permanent password), groups, profile and audit record for each persona. */
const createPersonas = async (input: {
  target: Target;
  clock: Clock;
  context: OperatorContext;
  tag: string;
  departmentId: string;
  log: (line: string) => void;
}) => {
  const { target, clock, context, tag } = input;
  const password = generatePassword();
  const accounts = {} as Record<Persona, { id: string; email: string }>;
  for (const [persona, roles] of Object.entries(PERSONA_ROLES) as [Persona, readonly Group[]][]) {
    const email = `demo-${tag}-${persona}@example.com`;
    const user = await createUser(target.userPoolId, email);
    await setPermanentPassword(target.userPoolId, user.username, password);
    for (const group of roles) await addToGroup(target.userPoolId, user.username, group);
    await createProfile(
      newProfile({
        id: user.sub,
        email,
        fullName: `Demo ${persona[0]!.toUpperCase()}${persona.slice(1)} (${tag})`,
        roles: [...roles],
        ...(persona === 'employee' ? { departmentId: input.departmentId } : {}),
        at: clock.now().toISOString(),
      }),
      auditRecord(
        {
          action: 'users.create',
          ...userTarget(user.sub),
          status: 201,
        },
        context,
        clock,
      ),
    );
    accounts[persona] = { id: user.sub, email };
  }
  input.log(`  ✓ personas: ${Object.keys(PERSONA_ROLES).join(', ')}`);
  return { password, accounts };
};

/**
 * The employee persona's check-ins over the last 90 days, one every 18 days, feeling a little better
 * each time: enough for a burnout trend with a slope and a line per questionnaire.
 */
const writePersonaHistory = async (userId: string, now: Date, context: OperatorContext, clock: Clock) => {
  for (let step = 0; step < 5; step++) {
    const at = new Date(now.getTime() - (90 - step * 18) * 86_400_000 - 3_600_000).toISOString();
    const strain = 0.7 - step * 0.1;
    for (const instrument of ['cbi', 'phq9', 'gad7', 'who5'] as const) {
      const spec = INSTRUMENTS[instrument];
      const answers = Object.fromEntries(
        spec.items
          .filter((item) => item.scored !== false && item.optional !== true)
          .map((item) => {
            const scale = item.scale ?? spec.scale!;
            // WHO-5 counts wellbeing up, the others strain; PHQ-9 item 9 stays 0 (no alert from a demo).
            const level = instrument === 'who5' ? 1 - strain : strain;
            const value =
              instrument === 'phq9' && item.id === 'q9'
                ? 0
                : Math.round(scale.min + level * (scale.max - scale.min));
            return [item.id, value];
          }),
      );
      await writeResponse(userId, instrument, answers, at, context, clock);
    }
  }
};

export interface SeedDemoSummary {
  departments: { id: string; name: string; people: number }[];
  users: number;
  analyses: number;
  surveyResponses: number;
}

export const seedDemo = async (
  target: Target,
  clock: Clock,
  log: (line: string) => void,
  options: { personas?: boolean; previousMonth?: boolean } = {},
): Promise<SeedDemoSummary> => {
  const context = await operatorContext(target);
  const now = clock.now();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const previousStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
  const previous = new Date(previousStart).toISOString().slice(0, 7);
  const window = runtimeEnv().analysisTimeWindow;
  // A closed month that changes is a revision, withheld whole: written now, the back-fill would show
  // nothing. So only while that month is still open (the first days of a month, or under --clock).
  if (options.previousMonth && isMonthClosed(previous, now, window))
    throw new CliError(
      `--previous-month: ${previous} closed at ${monthClosesAt(previous, window).toISOString()}, and a closed month that changes is withheld as revised. Run it before then (locally: npm start -- --clock ${new Date(monthStart + 86_400_000).toISOString()}, a day into ${now.toISOString().slice(0, 7)}).`,
    );
  // Seeded by the month, not the instant: every seed of a month draws the same people, labels and
  // answers, so what a month's dashboard publishes and withholds does not change from run to run (the
  // clock flows, even under --clock; seeded by the instant, a run now and then drew a month in which
  // every department's negative share fell under the threshold).
  const random = generator(monthStart);
  // Within the current month, up to now: the month the dashboard serves once closed; and, with
  // --previous-month, within that month too (the trend the dashboard shows against it).
  const periods = [
    ...(options.previousMonth ? [{ from: previousStart, to: monthStart }] : []),
    { from: monthStart, to: now.getTime() },
  ];
  const within = (period: { from: number; to: number }) =>
    new Date(period.from + random() * (period.to - period.from)).toISOString();
  const tag = randomUUID().slice(0, 4);
  const summary: SeedDemoSummary = { departments: [], users: 0, analyses: 0, surveyResponses: 0 };
  log(`Seeding a demo organisation into ${target.description} (table ${target.tableName}), run ${tag}:`);
  if (options.personas && target.stage !== 'local')
    throw new CliError(
      '--personas is for the local runtime only: it prints a password for accounts of every role',
    );
  const departmentIds = DEMO_DEPARTMENTS.map(() => randomUUID());
  const personas = options.personas
    ? await createPersonas({ target, clock, context, tag, departmentId: departmentIds[0]!, log })
    : undefined;

  for (const [index, spec] of DEMO_DEPARTMENTS.entries()) {
    const at = now.toISOString();
    const department = {
      id: departmentIds[index]!,
      name: `${spec.name} (demo ${tag})`,
      description: `Demo department of ${spec.people} people`,
      // The manager persona manages every demo department: the dashboard shows them all, Legal hidden.
      managerIds: personas ? [personas.accounts.manager.id] : [],
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await createDepartment(
      department,
      auditRecord(
        {
          action: 'departments.create',
          resourceType: 'department',
          resourceId: department.id,
          status: 201,
        },
        context,
        clock,
      ),
    );
    // Everything random is drawn first, person by person (the same draws for the same month); the
    // people are then written side by side, each person's items in order: DynamoDB Local answers
    // concurrent writes, and a demo of hundreds of items is written in a fraction of the time.
    const people = Array.from({ length: spec.people }, (_, person) => ({
      id: randomUUID(),
      fullName: `${spec.name} Demo ${person + 1}`,
      analyses: periods.flatMap((period) =>
        Array.from({ length: ANALYSES_PER_PERSON }, (_, i) => {
          const joy = Math.round(random() * 100) / 100;
          return {
            type: (i === 0 ? 'speech' : 'chat') as AnalysisType,
            joy,
            label: SENTIMENTS[Math.floor(random() * 3)] ?? 'neutral',
            analyzedAt: within(period),
          };
        }),
      ),
      responses: periods.flatMap((period) =>
        DEMO_INSTRUMENTS.map((instrument) => ({
          instrument,
          answers: answersFor(instrument, random),
          submittedAt: within(period),
        })),
      ),
    }));
    await Promise.all(
      people.map(async ({ id, fullName, analyses, responses }) => {
        await createProfile(
          newProfile({
            id,
            email: `demo-${tag}-${id.slice(0, 8)}@example.com`,
            fullName,
            departmentId: department.id,
            roles: ['employee'],
            at,
          }),
          auditRecord(
            {
              action: 'users.create',
              ...userTarget(id),
              status: 201,
            },
            context,
            clock,
          ),
        );
        for (const analysis of analyses) {
          const analysisId = randomUUID();
          const planned = planAnalysis({
            type: analysis.type,
            userId: id,
            id: analysisId,
            alertId: randomUUID(),
            now,
            rawText: { store: false, days: 1 },
            body: {
              sentiment: { label: analysis.label, score: 0.8 },
              emotions: { joy: analysis.joy, sadness: Math.round((1 - analysis.joy) * 100) / 100 },
              model: { name: 'demo-model', version: '1' },
              analyzedAt: analysis.analyzedAt,
              ...(analysis.type === 'speech' ? { durationSec: 30 } : {}),
            },
          });
          await storeAnalysis({
            planned,
            alertItems: [],
            audit: auditRecord(
              {
                action: `analyses.${analysis.type}.create`,
                resourceType: `${analysis.type}_analysis`,
                resourceId: analysisId,
                subjectId: id,
                status: 201,
              },
              context,
              clock,
            ),
          });
        }
        for (const response of responses)
          await writeResponse(
            id,
            response.instrument,
            response.answers,
            response.submittedAt,
            context,
            clock,
          );
      }),
    );
    const analyses = people.reduce((sum, person) => sum + person.analyses.length, 0);
    const responses = people.reduce((sum, person) => sum + person.responses.length, 0);
    summary.departments.push({ id: department.id, name: department.name, people: spec.people });
    summary.users += spec.people;
    summary.analyses += analyses;
    summary.surveyResponses += responses;
    log(`  ✓ ${department.name}: ${spec.people} people, ${analyses} analyses, ${responses} survey responses`);
  }
  log('');
  log(
    `Seeded ${summary.departments.length} departments, ${summary.users} people, ${summary.analyses} analyses and ${summary.surveyResponses} survey responses.`,
  );
  if (personas) {
    await writePersonaHistory(personas.accounts.employee.id, now, context, clock);
    log('');
    log('Personas to sign in to the console with (LOCAL ONLY; shown once):');
    for (const [role, account] of Object.entries(personas.accounts))
      log(`  ${role.padEnd(9)} ${account.email}`);
    log(`  password  ${personas.password}`);
  }
  const month = now.toISOString().slice(0, 7);
  const served = monthClosesAt(month, window).toISOString();
  log(
    `The stream aggregator builds the rollups within seconds. The dashboard serves ${month} once it is closed, from ${served}: locally, stop npm start and run it again with --clock ${served}, then GET /analytics/dashboard/overview?period=${month} as an admin.`,
  );
  return summary;
};
