/** Instruments, responses, burnout trend (issue: surveys). */
export const surveyRoutes = {};
