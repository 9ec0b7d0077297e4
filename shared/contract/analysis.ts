import * as z from 'zod/mini';
import { freeFormMap, IsoTimestamp, pattern, uuid } from './common.ts';
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
      payload.issues.push({ code: 'custom', message, input: payload.value, continue: true });
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

export const Sentiment = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    label: z.enum(['positive', 'negative', 'neutral']),
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

const IndicatorName = /* @__PURE__ */ dropIfUnused(() =>
  z
    .string()
    .check(
      pattern(/^[a-z][a-z0-9_]{0,39}$/, 'a lowercase letter, then up to 39 lowercase letters, digits or `_`'),
    ),
);

/** Mental-state indicators (e.g. `stress`, `anxiety`, `fatigue`), each 0–1. */
export const MentalState = /* @__PURE__ */ z.lazy(() =>
  freeFormMap(IndicatorName, Probability).check(atMostKeys(20, 'must have at most 20 indicators')),
);

/** A reference to the analysed source (chat message id, object key of the audio/video) — never the media. */
export const SourceId = /* @__PURE__ */ dropIfUnused(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(1024),
      pattern(/^[^\p{Cc}]+$/u, 'printable characters (no control characters), at most 1024'),
    ),
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
