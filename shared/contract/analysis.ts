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
import {
  freeFormMap,
  ISO_DATETIME_WITH_OFFSET,
  IsoTimestamp,
  pattern,
  UUID_PATTERN,
  uuid,
} from './common.ts';
import { dropIfUnused } from './lazy.ts';

/**
 * Chat, speech and video analyses, in the shapes docs/api.md fixes for interoperability. Every object is
 * strict: an unknown field (raw media, a made-up emotion) is a 400 naming it.
 */
export const ANALYSIS_TYPES = ['chat', 'speech', 'video'] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

/**
 * A map's number of keys, checked: the issue `z.refine` raises (code `custom`, the message, not aborting
 * the parse), through a plain `z.check`. A refinement is a schema kind of its own that nothing else on
 * these routes uses (docs/build.md); test/unit/analysis-input.test.ts holds the two to the same answers.
 */
const keyCount = (message: string, fits: (count: number) => boolean) =>
  z.check<object>((payload) => {
    if (!fits(Object.keys(payload.value).length))
      payload.issues.push({ code: 'custom', message, input: payload.value });
  });
const atMostKeys = (max: number, message: string) => keyCount(message, (n) => n <= max);

/** The fixed emotion label set (docs/api.md); any other label is a 400. */
export const EMOTION_LABELS = ['anger', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'neutral'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];

/** Risk flags a pipeline or EmoBuddy may set; each raises a risk alert (docs/privacy.md). */
export const RISK_FLAG_VALUES = ['crisis', 'self_harm'] as const;
export const RiskFlags = /* @__PURE__ */ z.lazy(() =>
  z.array(z.enum(RISK_FLAG_VALUES)).check(z.maxLength(RISK_FLAG_VALUES.length)),
);

export const Probability = /* @__PURE__ */ dropIfUnused(() => z.number().check(z.minimum(0), z.maximum(1)));

/** Label → probability over the fixed label set; at least one label. */
export const EmotionScores = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject(
      Object.fromEntries(EMOTION_LABELS.map((label) => [label, z.optional(Probability)])) as Record<
        EmotionLabel,
        z.ZodMiniOptional<typeof Probability>
      >,
    )
    .check(keyCount('must name at least one emotion', (n) => n > 0)),
);

export const SENTIMENT_LABELS = ['positive', 'negative', 'neutral'] as const;

export const Sentiment = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    label: z.enum(SENTIMENT_LABELS),
    /** The model's confidence, 0–1. */
    score: Probability,
  }),
);

export const ModelRef = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    version: z.string().check(z.trim(), z.minLength(1), z.maxLength(50)),
  }),
);

const INDICATOR_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const INDICATOR_NAME_FORMAT = 'a lowercase letter, then up to 39 lowercase letters, digits or `_`';
const IndicatorName = /* @__PURE__ */ dropIfUnused(() =>
  z.string().check(pattern(INDICATOR_NAME_PATTERN, INDICATOR_NAME_FORMAT)),
);

/** Mental-state indicators (e.g. `stress`, `anxiety`, `fatigue`), each 0–1. */
export const MentalState = /* @__PURE__ */ z.lazy(() =>
  freeFormMap(IndicatorName, Probability).check(atMostKeys(20, 'must have at most 20 indicators')),
);

const SOURCE_ID_PATTERN = /^[^\p{Cc}]+$/u;
const SOURCE_ID_FORMAT = 'printable characters (no control characters), at most 1024';

/** A reference to the analysed source (chat message id, object key of the audio/video) — never the media. */
export const SourceId = /* @__PURE__ */ dropIfUnused(() =>
  z.string().check(z.minLength(1), z.maxLength(1024), pattern(SOURCE_ID_PATTERN, SOURCE_ID_FORMAT)),
);

const DurationSec = /* @__PURE__ */ dropIfUnused(() => z.number().check(z.positive(), z.maximum(86_400)));

/** Fields every analysis has. `userId` names the user: required for machine clients, self for users. */
const commonFields = () => ({
  userId: z.optional(uuid()),
  sentiment: Sentiment,
  emotions: EmotionScores,
  model: ModelRef,
  analyzedAt: IsoTimestamp,
  mentalState: z.optional(MentalState),
  riskFlags: z.optional(RiskFlags),
  sourceId: z.optional(SourceId),
});

export const ChatAnalysisInput = /* @__PURE__ */ z.lazy(() => z.strictObject(commonFields()));

export const SpeechAnalysisInput = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    ...commonFields(),
    /** Raw text: stored only where the stage allows it, and then only until it expires. */
    transcription: z.optional(z.string().check(z.minLength(1), z.maxLength(20_000))),
    durationSec: DurationSec,
    /** Acoustic features by name (pitch, energy, speech rate…), numeric. */
    voiceFeatures: z.optional(
      freeFormMap(IndicatorName, z.number()).check(atMostKeys(50, 'must have at most 50 features')),
    ),
  }),
);

export const VideoAnalysisInput = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    ...commonFields(),
    /** Per-emotion facial confidence, over the same label set. */
    facialEmotions: EmotionScores,
    framesAnalysed: z.int().check(z.minimum(1), z.maximum(10_000_000)),
    durationSec: DurationSec,
  }),
);

export const ANALYSIS_INPUTS = {
  chat: ChatAnalysisInput,
  speech: SpeechAnalysisInput,
  video: VideoAnalysisInput,
} as const;

export type ChatAnalysisInput = z.infer<typeof ChatAnalysisInput>;
export type SpeechAnalysisInput = z.infer<typeof SpeechAnalysisInput>;
export type VideoAnalysisInput = z.infer<typeof VideoAnalysisInput>;
export type AnalysisInput = ChatAnalysisInput | SpeechAnalysisInput | VideoAnalysisInput;

/**
 * A rule of an analysis input written out: it pushes the issues zod raises for `value` at `path` (the
 * fields the 400 details are made of) and answers the value zod's parse makes of it (new objects in the schema's field order, trimmed names).
 */
type Rule = (value: unknown, path: PropertyKey[], issues: Issue[]) => unknown;

/**
 * Whether an issue from `from` on stops the map-key counts, as zod's checks stop after an issue it does
 * not mark `continue`: here a wrong type, value or key (a bound, a format, an unknown field or a count
 * lets them run).
 */
const STOPPING_CODES: readonly string[] = ['invalid_type', 'invalid_value', 'invalid_key'];
const stopsChecks = (issues: Issue[], from: number) =>
  issues.slice(from).some((raised) => STOPPING_CODES.includes(raised.code as string));

/** `z.number()`/`z.int()` with a lower bound (`exclusive`: `z.positive()`) and an upper one. */
const numberRule =
  (bounds: { min?: number; exclusive?: boolean; max?: number; int?: boolean } = {}): Rule =>
  (value, path, issues) => {
    const { min, exclusive, max, int } = bounds;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push(issue('invalid_type', path, { expected: 'number' }));
      return value;
    }
    if (int && !Number.isInteger(value)) {
      issues.push(issue('invalid_type', path, { expected: 'int' }));
      return value;
    }
    // Bounds as zod raises them, without the origin a number's details do not use (an integer's format
    // refuses what is beyond the safe integers by their bounds).
    const below = (minimum: number, inclusive = true) =>
      issues.push(issue('too_small', path, { minimum, inclusive }));
    const above = (maximum: number) => issues.push(issue('too_big', path, { maximum, inclusive: true }));
    if (int && value > Number.MAX_SAFE_INTEGER) above(Number.MAX_SAFE_INTEGER);
    if (int && value < -Number.MAX_SAFE_INTEGER) below(-Number.MAX_SAFE_INTEGER);
    if (min !== undefined && (exclusive ? value <= min : value < min)) below(min, !exclusive);
    if (max !== undefined && value > max) above(max);
    return value;
  };

/**
 * `z.string()` with its checks in zod's order: trimmed, then its length (which zod checks after a wrong
 * type too), then its format (a named one, or a `pattern` whose message says what it must be).
 */
const stringRule =
  (checks: {
    trim?: boolean;
    length?: readonly [min: number, max: number];
    format?: { regex: RegExp; name: string; message?: string };
  }): Rule =>
  (value, path, issues) => {
    const isString = typeof value === 'string';
    if (!isString) issues.push(issue('invalid_type', path, { expected: 'string' }));
    const parsed = isString && checks.trim ? value.trim() : value;
    if (checks.length) issues.push(...lengthIssues(path, parsed, ...checks.length));
    const { format } = checks;
    if (isString && format && !format.regex.test(parsed as string))
      issues.push(issue('invalid_format', path, { format: format.name, message: format.message }));
    return parsed;
  };

const enumRule =
  (values: readonly string[]): Rule =>
  (value, path, issues) => {
    if (!values.includes(value as string)) issues.push(issue('invalid_value', path, { values: [...values] }));
    return value;
  };

/** A key count as `keyCount` raises it: only when nothing before it stopped the checks. */
type KeyCount = { fits: (count: number) => boolean; message: string };
const countIssues = (parsed: object, path: PropertyKey[], issues: Issue[], from: number, count: KeyCount) => {
  if (!stopsChecks(issues, from) && !count.fits(Object.keys(parsed).length))
    issues.push(issue('custom', path, { message: count.message }));
};

/**
 * `z.strictObject` (`z.object` with `strip`): each field in the shape's order (an optional one only when
 * present), the fields it may not have after them (a stripped object leaves them out without a word),
 * then the object's key count, if it has one.
 */
const objectRule =
  (
    fields: Record<string, Rule>,
    {
      optional = [],
      count,
      strip = false,
    }: { optional?: readonly string[]; count?: KeyCount; strip?: boolean } = {},
  ): Rule =>
  (value, path, issues) => {
    if (!isRecord(value)) {
      issues.push(issue('invalid_type', path, { expected: 'object' }));
      return value;
    }
    const from = issues.length;
    const parsed: Record<string, unknown> = {};
    for (const [field, rule] of Object.entries(fields)) {
      if (optional.includes(field) && !(field in value)) continue;
      parsed[field] = rule(value[field], [...path, field], issues);
    }
    const unknown = strip ? [] : Object.keys(value).filter((key) => !Object.hasOwn(fields, key));
    if (unknown.length > 0) issues.push(issue('unrecognized_keys', path, { keys: unknown }));
    if (count) countIssues(parsed, path, issues, from, count);
    return parsed;
  };

/** `freeFormMap(key, value)` with its key count: the reserved key, then each entry in key order. */
const freeFormMapRule =
  (key: { regex: RegExp; message: string }, valueRule: Rule, count: KeyCount): Rule =>
  (value, path, issues) => {
    if (hasReservedKey(value)) {
      issues.push(reservedKeyIssue(path));
      return value;
    }
    if (!isRecord(value)) {
      issues.push(issue('invalid_type', path, { expected: 'record' }));
      return value;
    }
    const from = issues.length;
    const parsed: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value)) {
      if (key.regex.test(name)) parsed[name] = valueRule(entry, [...path, name], issues);
      else issues.push(keyFormatIssue(path, name, key.message));
    }
    countIssues(parsed, path, issues, from, count);
    return parsed;
  };

/**
 * `RiskFlags`: each flag, then the array's length (checked after a wrong type too); an array over its
 * length is refused for that alone, its flags unread (zod's size cap).
 */
const riskFlagsRule: Rule = (value, path, issues) => {
  const max = RISK_FLAG_VALUES.length;
  if (Array.isArray(value) && value.length > max) {
    issues.push(...lengthIssues(path, value, 0, max));
    return value;
  }
  const parsed = Array.isArray(value)
    ? value.map((flag, index) => enumRule(RISK_FLAG_VALUES)(flag, [...path, index], issues))
    : (issues.push(issue('invalid_type', path, { expected: 'array' })), value);
  issues.push(...lengthIssues(path, value, 0, max));
  return parsed;
};

/** The written-out rules of `ChatAnalysisInput`, `SpeechAnalysisInput` and `VideoAnalysisInput`. */
const analysisInputRules = (): Record<AnalysisType, Rule> => {
  const indicatorName = { regex: INDICATOR_NAME_PATTERN, message: `must be ${INDICATOR_NAME_FORMAT}` };
  const probability = numberRule({ min: 0, max: 1 });
  const emotionScores = objectRule(Object.fromEntries(EMOTION_LABELS.map((label) => [label, probability])), {
    optional: EMOTION_LABELS,
    count: { fits: (n) => n > 0, message: 'must name at least one emotion' },
  });
  const durationSec = numberRule({ min: 0, exclusive: true, max: 86_400 });
  const common = {
    userId: stringRule({ format: { regex: UUID_PATTERN, name: 'uuid' } }),
    sentiment: objectRule({ label: enumRule(SENTIMENT_LABELS), score: probability }),
    emotions: emotionScores,
    model: objectRule({
      name: stringRule({ trim: true, length: [1, 100] }),
      version: stringRule({ trim: true, length: [1, 50] }),
    }),
    analyzedAt: stringRule({ format: { regex: ISO_DATETIME_WITH_OFFSET, name: 'datetime' } }),
    mentalState: freeFormMapRule(indicatorName, probability, {
      fits: (n) => n <= 20,
      message: 'must have at most 20 indicators',
    }),
    riskFlags: riskFlagsRule,
    sourceId: stringRule({
      length: [1, 1024],
      format: { regex: SOURCE_ID_PATTERN, name: 'regex', message: `must be ${SOURCE_ID_FORMAT}` },
    }),
  };
  const optional = ['userId', 'mentalState', 'riskFlags', 'sourceId', 'transcription', 'voiceFeatures'];
  return {
    chat: objectRule(common, { optional }),
    speech: objectRule(
      {
        ...common,
        transcription: stringRule({ length: [1, 20_000] }),
        durationSec,
        voiceFeatures: freeFormMapRule(indicatorName, numberRule(), {
          fits: (n) => n <= 50,
          message: 'must have at most 50 features',
        }),
      },
      { optional },
    ),
    video: objectRule(
      {
        ...common,
        facialEmotions: emotionScores,
        framesAnalysed: numberRule({ min: 1, max: 10_000_000, int: true }),
        durationSec,
      },
      { optional },
    ),
  };
};

/** A schema that checks by `rule`: its issues, or the value it parses. */
const checkedBy = (rule: Rule) =>
  z.unknown().check((payload) => {
    const issues: Issue[] = [];
    const parsed = rule(payload.value, [], issues);
    if (issues.length === 0) payload.value = parsed;
    else payload.issues.push(...issues);
  }) as z.ZodMiniType<unknown>;

/**
 * What the analysis stores validate their input with: the rules of `ChatAnalysisInput`,
 * `SpeechAnalysisInput` and `VideoAnalysisInput` written out, the same parsed body and the same 400
 * details (the batch's per-item details too), without the record, pipe, transform, enum, union and
 * regex kinds those schemas are made of, which the stores needed for nothing else (docs/build.md). The
 * zod schemas stay the contract: the OpenAPI document and the console's types come from them, and
 * test/unit/analysis-body.test.ts holds these checks to them with a fast-check property over bodies
 * parsed from JSON.
 */
export const ANALYSIS_INPUTS_CHECKED = /* @__PURE__ */ dropIfUnused(() => {
  const rules = analysisInputRules();
  // What passes a check is that type's input (the property test), so the handlers read it as one.
  return {
    chat: checkedBy(rules.chat) as z.ZodMiniType<ChatAnalysisInput>,
    speech: checkedBy(rules.speech) as z.ZodMiniType<SpeechAnalysisInput>,
    video: checkedBy(rules.video) as z.ZodMiniType<VideoAnalysisInput>,
  };
});

/** A stored analysis, as the API returns it. */
export const Analysis = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    type: z.enum(ANALYSIS_TYPES),
    userId: z.string(),
    sentiment: Sentiment,
    emotions: z.record(z.string(), z.number()),
    model: ModelRef,
    analyzedAt: z.string(),
    mentalState: z.optional(z.record(z.string(), z.number())),
    riskFlags: z.array(z.string()),
    sourceId: z.optional(z.string()),
    transcription: z.optional(z.string()),
    /** Speech: whether a submitted transcription was stored (false where the stage stores no raw text). */
    transcriptionStored: z.optional(z.boolean()),
    durationSec: z.optional(z.number()),
    voiceFeatures: z.optional(z.record(z.string(), z.number())),
    facialEmotions: z.optional(z.record(z.string(), z.number())),
    framesAnalysed: z.optional(z.int()),
    /** When the stored raw text expires (the whole analysis is gone for reads from then on). */
    expiresAt: z.optional(z.string()),
    /** Whether a risk alert was raised for clinicians. */
    alertRaised: z.boolean(),
    createdAt: z.string(),
  }),
);
export type Analysis = z.infer<typeof Analysis>;

/** POST /analyses/{type}/batch: up to 100 items, each validated on its own (partial success). */
export const MAX_BATCH_ITEMS = 100;
export const AnalysisBatchBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    items: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_ITEMS)),
  }),
);

/** The batch's type parameter (`z.object({ type: z.enum(ANALYSIS_TYPES) })`). */
export const AnalysisBatchParams = /* @__PURE__ */ dropIfUnused(() =>
  z.object({ type: z.enum(ANALYSIS_TYPES) }),
);

/** `AnalysisBatchBody`'s items: an array of 1 to MAX_BATCH_ITEMS (the lengths checked after a wrong type too). */
const batchItemsRule: Rule = (value, path, issues) => {
  if (!Array.isArray(value)) issues.push(issue('invalid_type', path, { expected: 'array' }));
  // An array over MAX_BATCH_ITEMS is refused for that alone (zod's size cap), which its items (any
  // value) and its length (at least 1) never add to: the two length checks say it all.
  issues.push(...lengthIssues(path, value, 1, MAX_BATCH_ITEMS));
  return Array.isArray(value) ? [...value] : value;
};

/**
 * What the batch validates its request with: `AnalysisBatchParams` and `AnalysisBatchBody` written out,
 * the same parsed values and 400 details, without the enum and array kinds (and the length checks) that
 * nothing else in the batch function needs once its items are checked by `ANALYSIS_INPUTS_CHECKED`. The
 * zod schemas stay the contract; test/unit/analysis-body.test.ts holds these to them with a property.
 */
export const AnalysisBatchParamsChecked = /* @__PURE__ */ dropIfUnused(
  () =>
    checkedBy(objectRule({ type: enumRule(ANALYSIS_TYPES) }, { strip: true })) as z.ZodMiniType<
      z.infer<typeof AnalysisBatchParams>
    >,
);
export const AnalysisBatchBodyChecked = /* @__PURE__ */ dropIfUnused(
  () => checkedBy(objectRule({ items: batchItemsRule })) as z.ZodMiniType<z.infer<typeof AnalysisBatchBody>>,
);

const ItemError = /* @__PURE__ */ z.lazy(() =>
  z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.array(z.object({ field: z.string(), code: z.string(), message: z.string() }))),
  }),
);

export const AnalysisBatchResult = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** One result per item, in request order. */
    results: z.array(
      z.object({
        index: z.int(),
        /** The status the item would have had on its own: 201 stored, 400/404/409 refused. */
        status: z.int(),
        id: z.optional(z.string()),
        error: z.optional(ItemError),
      }),
    ),
    stored: z.int(),
    failed: z.int(),
  }),
);
export type AnalysisBatchResult = z.infer<typeof AnalysisBatchResult>;
