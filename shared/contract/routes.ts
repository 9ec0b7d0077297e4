/**
 * THE route table: every route of the API, once. The CDK api construct, the local gateway, the OpenAPI
 * generator and the generated test matrices all read this list. Handlers import only their own area's
 * routes (./routes/<area>.ts), without the documented responses this table joins in, so a bundle
 * carries only the schemas its area validates with.
 */
import type { RouteDefinition, RouteRequest, RouteResponses } from './route.ts';
import { alertResponses, alertRoutes } from './routes/alerts.ts';
import { analysisResponses, analysisRoutes } from './routes/analyses.ts';
import { analyticsResponses, analyticsRoutes } from './routes/analytics.ts';
import { auditResponses, auditRoutes } from './routes/audit.ts';
import { authResponses, authRoutes } from './routes/auth.ts';
import { departmentResponses, departmentRoutes } from './routes/departments.ts';
import { docsResponses, docsRoutes } from './routes/docs.ts';
import { emoBuddyResponses, emoBuddyRoutes } from './routes/emo-buddy.ts';
import { healthResponses, healthRoutes } from './routes/health.ts';
import { privacyResponses, privacyRoutes } from './routes/privacy.ts';
import { surveyResponses, surveyRoutes } from './routes/surveys.ts';
import { userResponses, userRoutes } from './routes/users.ts';

/** An area's routes, each with its documented responses joined in. */
const documented = <K extends string>(
  routes: { readonly [P in K]: RouteDefinition<RouteRequest> },
  responses: { readonly [P in K]: RouteResponses },
): RouteDefinition[] =>
  (Object.keys(routes) as K[]).map((key) => ({ ...routes[key], responses: responses[key] }));

export const routeTable: readonly RouteDefinition[] = [
  ...documented(healthRoutes, healthResponses),
  ...documented(docsRoutes, docsResponses),
  ...documented(authRoutes, authResponses),
  ...documented(userRoutes, userResponses),
  ...documented(departmentRoutes, departmentResponses),
  ...documented(auditRoutes, auditResponses),
  ...documented(privacyRoutes, privacyResponses),
  ...documented(analysisRoutes, analysisResponses),
  ...documented(emoBuddyRoutes, emoBuddyResponses),
  ...documented(surveyRoutes, surveyResponses),
  ...documented(alertRoutes, alertResponses),
  ...documented(analyticsRoutes, analyticsResponses),
];

export const findRoute = (id: string): RouteDefinition | undefined => routeTable.find((r) => r.id === id);
