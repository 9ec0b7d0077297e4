import * as z from 'zod/mini';
import {
  hasReservedKey,
  issue,
  isRecord,
  keyFormatIssue,
  lengthIssues,
  reservedKeyIssue,
  type Issue,
} from './checked.ts';
import { freeFormMap, pattern } from './common.ts';
import { dropIfUnused } from './lazy.ts';
import { CrisisResources } from './risk-alert.ts';

/** Instrument ids (docs/api.md, shapes fixed for interoperability). */
export const INSTRUMENT_IDS = ['phq9', 'gad7', 'who5', 'pss10', 'cbi', 'custom'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];

const ITEM_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const ITEM_ID_FORMAT = '1–64 letters, digits, `_`, `.` or `-`';

/** Item ids: short, key-safe (they go into error details as `body.answers.<itemId>`). */
export const ItemId = /* @__PURE__ */ dropIfUnused(() =>
  z.string().check(pattern(ITEM_ID_PATTERN, ITEM_ID_FORMAT)),
);

/** The longest string answer (`custom` surveys), in code points as zod counts a string's length. */
export const MAX_ANSWER_LENGTH = 1000;

/** A string answer within MAX_ANSWER_LENGTH (the string side of `AnswerValue`). */
export const isAnswerText = (value: unknown): value is string =>
  typeof value === 'string' && [...value].length <= MAX_ANSWER_LENGTH;

/**
 * An answer: an integer for scored instruments (the instrument checks integer and range and names the
 * item), or a short string for `custom` seed-style surveys.
 */
export const AnswerValue = /* @__PURE__ */ z.lazy(() =>
  z.union([z.number(), z.string().check(z.maxLength(MAX_ANSWER_LENGTH))]),
);

const MAX_VERSION_LENGTH = 32;

export const SubmitSurveyResponseBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    instrument: z.enum(INSTRUMENT_IDS),
    /** The version the client filled in; absent = the current one. Any other version is a 400. */
    version: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_VERSION_LENGTH))),
    answers: freeFormMap(ItemId, AnswerValue),
  }),
);
export type SubmitSurveyResponseBody = z.infer<typeof SubmitSurveyResponseBody>;

const SUBMIT_BODY_FIELDS: readonly string[] = ['instrument', 'version', 'answers'];

/**
 * The issues zod raises for `SubmitSurveyResponseBody` on a body parsed from JSON (or no body), in the
 * same order and with the fields the 400 details are made of: the fields in the schema's order, each
 * answer in key order (an answer is a number, or a string of at most MAX_ANSWER_LENGTH), then the
 * fields the body may not have.
 */
export const submitBodyIssues = (body: unknown): Issue[] => {
  if (!isRecord(body)) return [issue('invalid_type', [], { expected: 'object' })];
  const issues: Issue[] = [];
  const { instrument, version, answers } = body;
  if (!INSTRUMENT_IDS.includes(instrument as InstrumentId))
    issues.push(issue('invalid_value', ['instrument'], { values: [...INSTRUMENT_IDS] }));
  if (version !== undefined) {
    if (typeof version !== 'string') issues.push(issue('invalid_type', ['version'], { expected: 'string' }));
    issues.push(...lengthIssues(['version'], version, 1, MAX_VERSION_LENGTH));
  }
  if (hasReservedKey(answers)) {
    issues.push(reservedKeyIssue(['answers']));
  } else if (!isRecord(answers)) {
    issues.push(issue('invalid_type', ['answers'], { expected: 'record' }));
  } else {
    for (const [item, value] of Object.entries(answers)) {
      const path = ['answers', item];
      if (!ITEM_ID_PATTERN.test(item)) {
        issues.push(keyFormatIssue(['answers'], item, `must be ${ITEM_ID_FORMAT}`));
      } else if (typeof value === 'string') {
        issues.push(...lengthIssues(path, value, 0, MAX_ANSWER_LENGTH));
      } else if (typeof value !== 'number') {
        issues.push(issue('invalid_union', path, { errors: [] }));
      }
    }
  }
  const unknown = Object.keys(body).filter((field) => !SUBMIT_BODY_FIELDS.includes(field));
  if (unknown.length > 0) issues.push(issue('unrecognized_keys', [], { keys: unknown }));
  return issues;
};

/**
 * What surveys.submit validates its body with: `SubmitSurveyResponseBody`'s rules written out
 * (`submitBodyIssues`), the same parsed body and the same 400 details, without the enum, record, union,
 * pipe and regex kinds that schema is made of, which the function needed for nothing else once the
 * stored response was parsed by hand (6.2 KB off its bundle, this check included). The zod schema stays the contract: the OpenAPI document
 * and the console's types come from it, and test/unit/survey-body.test.ts holds this check to it with a
 * fast-check property over bodies parsed from JSON.
 */
export const SubmitSurveyResponseBodyChecked = /* @__PURE__ */ dropIfUnused(() => {
  const checked = z.unknown().check((payload) => {
    payload.issues.push(...submitBodyIssues(payload.value));
  });
  // What passes the check is a SubmitSurveyResponseBody (the property test), so the handler reads it as
  // one. `z.unknown()` rather than `z.custom<…>()`, which would type it but carries 0.5 KB more.
  return checked as z.ZodMiniType<unknown> as z.ZodMiniType<SubmitSurveyResponseBody>;
});

export const SurveyScores = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** The headline score (PHQ-9/GAD-7/PSS-10 sum, WHO-5 ×4, CBI work-related); null for `custom`. */
    total: z.nullable(z.number()),
    /** WHO-5 only: the raw 0–25 sum before ×4. */
    raw: z.optional(z.number()),
    /** CBI only: `personal`, `work`, `client` (0–100; `client` absent when its items were not answered). */
    subscales: z.optional(z.record(z.string(), z.number())),
  }),
);
export type SurveyScores = z.infer<typeof SurveyScores>;

/** The fields of a stored response (the answer to a submission adds the crisis resources). */
const surveyResponseFields = () => ({
  id: z.string(),
  userId: z.string(),
  instrument: z.enum(INSTRUMENT_IDS),
  version: z.string(),
  answers: z.record(z.string(), AnswerValue),
  scores: SurveyScores,
  band: z.nullable(z.string()),
  flags: z.array(z.string()),
  /** CBI only: the band of each subscale (`band` is the work-related one). */
  subscaleBands: z.optional(z.record(z.string(), z.string())),
  submittedAt: z.string(),
});

/** A stored response: answers plus what the server computed, with the instrument version it used. */
export const SurveyResponse = /* @__PURE__ */ z.lazy(() => z.object(surveyResponseFields()));
export type SurveyResponse = z.infer<typeof SurveyResponse>;

/** POST answer: the response, and the stage's crisis resources when a risk signal fired. */
export const SubmittedSurveyResponse = /* @__PURE__ */ z.lazy(() =>
  z.object({ ...surveyResponseFields(), crisisResources: z.optional(CrisisResources) }),
);

const AnswerScale = /* @__PURE__ */ z.lazy(() =>
  z.object({
    min: z.int(),
    max: z.int(),
    /** What each value means, from `min` up. */
    anchors: z.array(z.string()),
  }),
);

export const InstrumentDescription = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.enum(INSTRUMENT_IDS),
    version: z.string(),
    name: z.string(),
    measures: z.string(),
    /** The recall period the items ask about. */
    period: z.nullable(z.string()),
    items: z.array(
      z.object({
        id: z.string(),
        /** A short label of our own wording, not the official item text. */
        label: z.string(),
        scored: z.boolean(),
        optional: z.boolean(),
        reverseScored: z.optional(z.boolean()),
        subscale: z.optional(z.string()),
        /** Set where the item has its own scale (PHQ-9 item 10). */
        scale: z.optional(AnswerScale),
      }),
    ),
    scale: z.nullable(AnswerScale),
    scoring: z.object({
      method: z.string(),
      range: z.nullable(z.object({ min: z.number(), max: z.number() })),
    }),
    /** Bands of the banded score: `min` ≤ score < `below` (the last band has no `below`). */
    bands: z.array(z.object({ id: z.string(), min: z.number(), below: z.optional(z.number()) })),
    flags: z.array(z.object({ id: z.string(), rule: z.string() })),
    /** The change vs the previous response that raises a risk alert (severity jump), in words. */
    severityJump: z.nullable(z.string()),
    licence: z.object({
      note: z.string(),
      /** False where the instrument may not be used commercially without permission (PSS-10). */
      commercialUseAllowed: z.boolean(),
      citation: z.string(),
    }),
  }),
);
export type InstrumentDescription = z.infer<typeof InstrumentDescription>;

export const InstrumentCatalogue = /* @__PURE__ */ z.lazy(() =>
  z.object({ instruments: z.array(InstrumentDescription) }),
);

/** A point of the burnout series (CBI work/personal/client scores of one response). */
export const BurnoutPoint = /* @__PURE__ */ z.lazy(() =>
  z.object({
    responseId: z.string(),
    at: z.string(),
    work: z.number(),
    personal: z.number(),
    client: z.optional(z.number()),
  }),
);

export const RISK_LEVELS = ['low', 'moderate', 'high', 'insufficient_data'] as const;

export const BurnoutRisk = /* @__PURE__ */ z.lazy(() =>
  z.object({
    level: z.enum(RISK_LEVELS),
    /** 0–100; null with `insufficient_data`. */
    score: z.nullable(z.number()),
    /** Each input that counted: its value, its weight in the model and the points it contributed. */
    factors: z.array(
      z.object({
        name: z.string(),
        value: z.number(),
        weight: z.number(),
        contribution: z.number(),
      }),
    ),
    /** Inputs the model knows but had no data for (their weight is spread over the others). */
    missing: z.array(z.string()),
    model: z.string(),
    disclaimer: z.string(),
  }),
);

export const BurnoutTrend = /* @__PURE__ */ z.lazy(() =>
  z.object({
    userId: z.string(),
    from: z.string(),
    to: z.string(),
    series: z.array(BurnoutPoint),
    /**
     * Least-squares slope in points per 30 days; null unless the series has at least 3 responses
     * spanning at least 14 days (`slopeBasis` says which).
     */
    slopePer30Days: z.object({ work: z.nullable(z.number()), personal: z.nullable(z.number()) }),
    /** Whether the series is long enough for a slope: `insufficient_data` with the reason when not. */
    slopeBasis: z.object({
      status: z.enum(['ok', 'insufficient_data']),
      responses: z.int(),
      spanDays: z.number(),
      reason: z.nullable(z.string()),
    }),
    latest: z.nullable(
      z.object({ at: z.string(), work: z.number(), personal: z.number(), band: z.string() }),
    ),
    /** Work-related change vs the previous response; `flagged` at ≥ 10 points either way. */
    change: z.object({ work: z.nullable(z.number()), flagged: z.boolean() }),
    risk: BurnoutRisk,
  }),
);
export type BurnoutTrend = z.infer<typeof BurnoutTrend>;

/** Metric of the safety pipeline's scheduled count (functions/jobs) that the stack's alarm watches. */
export const OVERDUE_ALERTS_METRIC = 'OverdueRiskAlerts';
