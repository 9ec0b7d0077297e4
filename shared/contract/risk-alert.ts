import * as z from 'zod/mini';

/** Why an alert was raised (docs/privacy.md, crisis and risk escalation). */
export const RISK_REASONS = ['suicidal_ideation', 'crisis', 'self_harm', 'severity_jump'] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Where the signal came from: a survey response, an analysis, or an EmoBuddy message (ids only). */
export const AlertSource = /* @__PURE__ */ z.lazy(() =>
  z.object({
    type: z.enum([
      'survey_response',
      'chat_analysis',
      'speech_analysis',
      'video_analysis',
      'emo_buddy_message',
    ]),
    id: z.string(),
  }),
);

/** A risk alert, as clinicians see it. Never part of any manager/admin view or aggregate. */
export const RiskAlert = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    userId: z.string(),
    source: AlertSource,
    reasons: z.array(z.enum(RISK_REASONS)),
    status: z.enum(ALERT_STATUSES),
    createdAt: z.string(),
    acknowledgedAt: z.optional(z.string()),
    acknowledgedBy: z.optional(z.string()),
    resolvedAt: z.optional(z.string()),
    resolvedBy: z.optional(z.string()),
    /** A clinician's note on resolution: free text, never shown outside the alert routes. */
    note: z.optional(z.string()),
    updatedAt: z.string(),
    version: z.int(),
  }),
);
export type RiskAlert = z.infer<typeof RiskAlert>;

/** What the employee's response carries when a risk signal fired (text and links per stage). */
export const CrisisResources = /* @__PURE__ */ z.lazy(() =>
  z.object({
    message: z.string(),
    contacts: z.array(
      z.object({ name: z.string(), phone: z.optional(z.string()), url: z.optional(z.string()) }),
    ),
  }),
);
export type CrisisResources = z.infer<typeof CrisisResources>;
