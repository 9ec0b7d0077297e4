import * as z from 'zod/mini';
import { EMOTION_LABELS, RiskFlags } from './analysis.ts';
import { CrisisResources } from './risk-alert.ts';

/** EmoBuddy: a user's conversation sessions with the assistant, and their messages. */
export const SESSION_STATUSES = ['active', 'ended'] as const;

export const EmoSession = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(SESSION_STATUSES),
    startedAt: z.string(),
    endedAt: z.optional(z.string()),
    messageCount: z.int(),
    /** Seconds from start to end, set when the session ends. */
    durationSec: z.optional(z.int()),
    /** Raw text: present only where the stage stores raw text, and until it expires. */
    summary: z.optional(z.string()),
    /** Self-reported mood at the end, 1 (very low) – 10 (very good). */
    moodAfter: z.optional(z.int()),
    updatedAt: z.string(),
  }),
);
export type EmoSession = z.infer<typeof EmoSession>;

export const PostMessageBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    role: z.enum(['user', 'assistant']),
    content: z.string().check(z.minLength(1), z.maxLength(10_000)),
    detectedEmotion: z.optional(z.enum(EMOTION_LABELS)),
    riskFlags: z.optional(RiskFlags),
  }),
);
export type PostMessageBody = z.infer<typeof PostMessageBody>;

const emoMessageFields = () => ({
  id: z.string(),
  sessionId: z.string(),
  /** Position in the session, from 1, assigned atomically: the order of the conversation. */
  seq: z.int(),
  role: z.enum(['user', 'assistant']),
  /** Null where the stage stores no raw text (`contentStored` false). */
  content: z.nullable(z.string()),
  contentStored: z.boolean(),
  detectedEmotion: z.optional(z.string()),
  riskFlags: z.array(z.string()),
  alertRaised: z.boolean(),
  createdAt: z.string(),
  /** When the message's text expires; the message is gone for reads from then on. */
  expiresAt: z.optional(z.string()),
});

export const EmoMessage = /* @__PURE__ */ z.lazy(() => z.object(emoMessageFields()));
export type EmoMessage = z.infer<typeof EmoMessage>;

/** POST answer: the message, and the stage's crisis resources when it raised a risk alert. */
export const PostedEmoMessage = /* @__PURE__ */ z.lazy(() =>
  z.object({ ...emoMessageFields(), crisisResources: z.optional(CrisisResources) }),
);

export const EndSessionBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    summary: z.optional(z.string().check(z.minLength(1), z.maxLength(4_000))),
    moodAfter: z.optional(z.int().check(z.minimum(1), z.maximum(10))),
  }),
);
export type EndSessionBody = z.infer<typeof EndSessionBody>;
