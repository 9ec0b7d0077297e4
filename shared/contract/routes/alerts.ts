/** Risk alerts for clinicians (issue: surveys, safety pipeline). */
export const alertRoutes = {};
