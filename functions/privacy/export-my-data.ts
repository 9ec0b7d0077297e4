import * as z from 'zod/mini';
import { exportMyDataRoute } from '#contract/routes/privacy.ts';
import { systemClock } from '#domain/clock.ts';
import { EXPORT_PART_BYTES, ExportPosition } from '#domain/data-export.ts';
import { writeAudit } from '#data/audit-repository.ts';
import { getConsentState } from '#data/consent-repository.ts';
import { readExportPart } from '#data/export-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated, validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

const invalidCursor = () =>
  validationFailed([
    { field: 'query.cursor', code: 'invalid_cursor', message: 'is not a cursor this export issued' },
  ]);

/**
 * GET /users/me/export: everything the service holds about the caller, as one JSON document in parts
 * of at most `maxPartBytes` (~5 MB; Lambda answers at most 6 MB). Part 1 starts the export; each part's
 * `nextCursor` (sealed, bound to the caller) fetches the next until `complete`. Each part is audited
 * (`privacy.export`) before any data is returned.
 */
export const createExportHandler = (options: { maxPartBytes?: number } = {}) =>
  createApiHandler(exportMyDataRoute, async (request) => {
    const { principal } = request;
    if (principal.kind !== 'user') throw unauthenticated();
    const sub = principal.sub;
    const scope = `privacy.export:${sub}`;
    const opened = openCursor(request.query.cursor, scope);
    const parsed = opened === undefined ? undefined : z.safeParse(ExportPosition, opened);
    if (parsed && !parsed.success) throw invalidCursor();
    const position = parsed?.data;

    const [profile, consents] = await Promise.all([getProfile(sub), getConsentState(sub)]);
    if (!profile) throw notFound('Your profile');

    await writeAudit(
      {
        resourceType: 'export',
        resourceId: `part-${position?.part ?? 1}`,
        subjectId: sub,
        status: 200,
      },
      request,
    );
    const { document, next } = await readExportPart({
      sub,
      position,
      ...(position ? {} : { first: { profile, consents } }),
      now: systemClock.now(),
      maxPartBytes: options.maxPartBytes ?? EXPORT_PART_BYTES,
    });
    return ok({ ...document, nextCursor: next ? sealCursor(next, scope) : null });
  });

export const handler = createExportHandler();
