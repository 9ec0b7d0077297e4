/**
 * THE route table: every route of the API, once. The CDK api construct, the local gateway, the OpenAPI
 * generator and the generated test matrices all read this list. Handlers import only their own area's
 * file (./routes/<area>.ts) so a bundle carries only the schemas it uses.
 */
import type { RouteDefinition } from './route.ts';
import { alertRoutes } from './routes/alerts.ts';
import { analysisRoutes } from './routes/analyses.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { departmentRoutes } from './routes/departments.ts';
import { docsRoutes } from './routes/docs.ts';
import { emoBuddyRoutes } from './routes/emo-buddy.ts';
import { healthRoutes } from './routes/health.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { userRoutes } from './routes/users.ts';

export const routeTable: readonly RouteDefinition[] = [
  ...Object.values(healthRoutes),
  ...Object.values(docsRoutes),
  ...Object.values(authRoutes),
  ...Object.values(userRoutes),
  ...Object.values(departmentRoutes),
  ...Object.values(auditRoutes),
  ...Object.values(privacyRoutes),
  ...Object.values<RouteDefinition>(analysisRoutes),
  ...Object.values<RouteDefinition>(emoBuddyRoutes),
  ...Object.values<RouteDefinition>(surveyRoutes),
  ...Object.values<RouteDefinition>(alertRoutes),
  ...Object.values<RouteDefinition>(analyticsRoutes),
];

export const findRoute = (id: string): RouteDefinition | undefined => routeTable.find((r) => r.id === id);
