/** Chat, speech and video analyses (issue: wellbeing data). */
export const analysisRoutes = {};
