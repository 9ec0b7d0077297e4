import type * as z from 'zod/mini';

/*
 * Schemas of the contract are built on first use (`z.lazy(() => …)`), except small leaves and the
 * params/query objects of routes. A function validates with a handful of schemas while the contract
 * holds hundreds — every route's responses (documentation only: the OpenAPI document is generated at
 * build time), the other routes of its area, the shapes the data layer parses — and every schema built
 * at import costs every cold start of every function that imports its module. Lazy, a function builds
 * what it uses: its route's request schemas at init (the handler chain calls buildSchema), and the ones
 * its data layer parses with on their first use.
 *
 * Module-level lazy schemas carry a `@__PURE__` annotation so that the bundler drops those a function
 * never references — the response schemas above all, which only the route table's `<area>Responses`
 * use (esbuild does not apply zod's own purity annotations across modules).
 */

type Internals = { def?: Record<string, unknown>; innerType?: unknown };

/**
 * Builds every lazy part of a schema now: the inner schema of each `z.lazy` in it, recursively
 * (object shapes, wrappers, array elements, union options, pipes). Building is what a first parse
 * would otherwise do; parsing behaves the same either way.
 */
export const buildSchema = (schema: z.ZodMiniType | undefined): void => {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const internals = (value as { _zod?: Internals })._zod;
    if (internals?.def) {
      if (internals.def.type === 'lazy') visit(internals.innerType);
      Object.values(internals.def).forEach(visit);
      return;
    }
    // An object schema's shape: a plain record of schemas.
    if (Object.getPrototypeOf(value) === Object.prototype) Object.values(value).forEach(visit);
  };
  visit(schema);
};

/**
 * `build()`: for a module-level value that a bundle should drop when it does not use it — a route of
 * an area, which only its own handler and the route table need, or a schema shared by some of the
 * area's routes. Call it with a `@__PURE__` annotation. esbuild drops an unused pure call only when its
 * arguments have no side effects, and a route's definition has them to its eyes (spreads of the area's
 * common fields, zod calls): a function argument has none, so the whole definition goes with the call.
 */
export const dropIfUnused = <T>(build: () => T): T => build();
