/**
 * GENERATED from the API's OpenAPI document by lib/build/console-api-types.ts
 * (npm run generate:api-types). Do not edit: change the route table's schemas instead.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Overall health: database and identity checks with latency
         * @description Public: no token.
         */
        get: operations["health.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/database": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * DynamoDB reachability and latency
         * @description Public: no token.
         */
        get: operations["health.database"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/identity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cognito reachability (signing keys served) and latency
         * @description Public: no token.
         */
        get: operations["health.identity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenAPI 3.1 document generated from the route table
         * @description Public: no token.
         */
        get: operations["docs.openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Swagger UI for the OpenAPI document
         * @description Public: no token.
         */
        get: operations["docs.ui"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/redoc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Redoc reference page for the same OpenAPI document
         * @description Public: no token.
         */
        get: operations["docs.redoc"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account (employee role, no department: an admin sets it); e-mail domain limited per stage
         * @description Public: no token.
         */
        post: operations["auth.register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm an account with the e-mailed code (stages that do not auto-confirm)
         * @description Public: no token.
         */
        post: operations["auth.confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with e-mail and password: tokens, or the next step (TOTP code, TOTP enrolment, new password); 5 failures from one address in 15 minutes lock that address out for 15 minutes
         * @description Public: no token.
         */
        post: operations["auth.login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Continue a sign-in with a TOTP code (SOFTWARE_TOKEN_MFA), or with the first code of the authenticator being set up (MFA_SETUP)
         * @description Public: no token.
         */
        post: operations["auth.loginMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login/new-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Continue a sign-in that must set a new password (NEW_PASSWORD_REQUIRED: an account made or reset by the operator)
         * @description Public: no token.
         */
        post: operations["auth.loginNewPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New access and ID tokens for a refresh token
         * @description Public: no token.
         */
        post: operations["auth.refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke the refresh token (and the tokens issued from it)
         * @description Access: any signed-in user.
         */
        post: operations["auth.logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change my password (current and new); ends every sign-in of the account, this one included
         * @description Access: any signed-in user.
         */
        post: operations["auth.changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password-reset code by e-mail; the same 202 whether or not the address has an account
         * @description Public: no token.
         */
        post: operations["auth.forgotPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with the e-mailed code; ends every sign-in of the account; a wrong code is one 400 for any address
         * @description Public: no token.
         */
        post: operations["auth.resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start setting up a TOTP authenticator: a new secret, in force once a code of it is verified
         * @description Access: any signed-in user.
         */
        post: operations["auth.totpAssociate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish setting up TOTP with a code of the authenticator: every later sign-in asks for a code
         * @description Access: any signed-in user.
         */
        post: operations["auth.totpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller’s own profile, roles and consents
         * @description Access: any signed-in user.
         */
        get: operations["auth.me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Users: every user for admins, the users of their departments for managers
         * @description Access: signed-in users in group admin or manager.
         */
        get: operations["users.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A profile: self, admin, clinician, or a manager of the user’s department
         * @description Access: any signed-in user.
         */
        get: operations["users.get"];
        /**
         * Update a profile (per-field permissions, optimistic locking with version)
         * @description Access: any signed-in user.
         */
        put: operations["users.update"];
        post?: never;
        /**
         * Deactivate a user: soft delete, every sign-in ended at once, Cognito user disabled and signed out
         * @description Access: signed-in users in group admin.
         */
        delete: operations["users.deactivate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a user’s roles (Cognito groups and profile together; a change ends every sign-in of the user): employee, manager, admin only; clinician and auditor are the operator’s (403), exclusive roles never together (409); never the last admin’s own; never on an account pending erasure (409)
         * @description Access: signed-in users in group admin.
         */
        put: operations["users.setRoles"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clinicians": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The clinician directory, by name: id, display name and unit of each active clinician — to name one in a consent
         * @description Access: any signed-in user.
         */
        get: operations["users.listClinicians"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/departments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Departments, by name
         * @description Access: any signed-in user.
         */
        get: operations["departments.list"];
        put?: never;
        /**
         * Create a department (unique name)
         * @description Access: signed-in users in group admin.
         */
        post: operations["departments.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/departments/{department_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Update name, description, managers or parent (optimistic locking with version)
         * @description Access: signed-in users in group admin.
         */
        put: operations["departments.update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit search: the auditor sees the full trail; admins only administrative records (users, departments, roles), everything about themselves (subjectId = own id) and everything they did (actorId = own id). By subject (any time range) or across subjects (at most 31 days), optionally by actor; newest first. Every search is audited
         * @description Access: signed-in users in group admin or auditor.
         */
        get: operations["audit.search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My consents: clinician access and aggregate analytics
         * @description Access: any signed-in user.
         */
        get: operations["privacy.getConsents"];
        /**
         * Grant or revoke consents; effective on the next request; every change versioned
         * @description Access: any signed-in user.
         */
        put: operations["privacy.updateConsents"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * All my data as one JSON document, in parts of at most ~5 MB (GDPR Art. 15/20)
         * @description Access: any signed-in user.
         */
        get: operations["privacy.export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who read or changed my data, when and why; newest first
         * @description Access: any signed-in user.
         */
        get: operations["privacy.accessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Erase my account: access ends now, every item is purged after the grace period (GDPR Art. 17)
         * @description Access: any signed-in user.
         */
        delete: operations["privacy.erase"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store a chat analysis (the user, or a pipeline for any user); Idempotency-Key supported
         * @description Access: any signed-in user; machine clients with scope mha-api/analyses.write.
         */
        post: operations["analyses.storeChat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/speech": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store a speech analysis (the user, or a pipeline for any user); Idempotency-Key supported
         * @description Access: any signed-in user; machine clients with scope mha-api/analyses.write.
         */
        post: operations["analyses.storeSpeech"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store a video analysis (the user, or a pipeline for any user); Idempotency-Key supported
         * @description Access: any signed-in user; machine clients with scope mha-api/analyses.write.
         */
        post: operations["analyses.storeVideo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/{type}/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store up to 100 analyses of one type (pipelines): per-item results, partial success
         * @description Access: machine clients with scope mha-api/analyses.write.
         */
        post: operations["analyses.storeBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/chat/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user’s chat analyses, newest first: the user, or a clinician they consented to
         * @description Access: any signed-in user.
         */
        get: operations["analyses.listChat"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/speech/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user’s speech analyses, newest first: the user, or a clinician they consented to
         * @description Access: any signed-in user.
         */
        get: operations["analyses.listSpeech"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analyses/video/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user’s video analyses, newest first: the user, or a clinician they consented to
         * @description Access: any signed-in user.
         */
        get: operations["analyses.listVideo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/emo-buddy/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My EmoBuddy sessions, newest first
         * @description Access: any signed-in user.
         */
        get: operations["emo-buddy.listSessions"];
        put?: never;
        /**
         * Start my EmoBuddy session, or return the one that is active (one per user)
         * @description Access: any signed-in user.
         */
        post: operations["emo-buddy.startSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/emo-buddy/sessions/{session_uuid}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The messages of my session, in order
         * @description Access: any signed-in user.
         */
        get: operations["emo-buddy.listMessages"];
        put?: never;
        /**
         * Add a message to my active session (ordered by a per-session sequence number)
         * @description Access: any signed-in user.
         */
        post: operations["emo-buddy.postMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/emo-buddy/sessions/{session_uuid}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * End my session (summary, mood after); message count and duration are stored
         * @description Access: any signed-in user.
         */
        put: operations["emo-buddy.endSession"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/surveys/instruments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The instrument catalogue: ids, versions, items, answer scales, scoring, bands, flags, licences
         * @description Access: any signed-in user.
         */
        get: operations["surveys.instruments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/surveys/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit my answers: scored on the server, stored with instrument version, scores, band and flags; Idempotency-Key supported
         * @description Access: any signed-in user.
         */
        post: operations["surveys.submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/surveys/responses/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user’s responses, newest first: self, or a clinician the user consented to (audited)
         * @description Access: any signed-in user.
         */
        get: operations["surveys.listByUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/surveys/responses/user/{user_id}/burnout-trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * CBI burnout series, slope per 30 days, latest band, change flag and the transparent risk model (self or consented clinician)
         * @description Access: any signed-in user.
         */
        get: operations["surveys.burnoutTrend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Risk alerts for clinicians: unresolved oldest first, or by status; every alert read is audited
         * @description Access: signed-in users in group clinician.
         */
        get: operations["alerts.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alerts/{alert_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Acknowledge an open alert or resolve an acknowledged one (who and when recorded; audited)
         * @description Access: signed-in users in group clinician.
         */
        put: operations["alerts.update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/user/{user_id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user’s period summary from their rollups: counts, sentiment and emotions, latest scores, burnout risk, EmoBuddy use (self or consented clinician, audited)
         * @description Access: any signed-in user.
         */
        get: operations["analytics.userSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/dashboard/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Organisation (admins) and department aggregates of a closed calendar month: every number on at least k contributors to it, with complementary suppression audited against insiders, and the trend
         * @description Access: signed-in users in group admin or manager.
         */
        get: operations["analytics.overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorEnvelope: {
            error: {
                /** @enum {string} */
                code: "VALIDATION_FAILED" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "IDEMPOTENCY_KEY_REUSED" | "THROTTLED" | "ACCOUNT_LOCKED" | "INTERNAL" | "DEPENDENCY_UNAVAILABLE";
                message: string;
                details?: {
                    field: string;
                    code: string;
                    message: string;
                }[];
                requestId: string;
            };
        };
    };
    responses: {
        /** @description The request is not valid; `details` names each failing field (`params.x`, `query.x`, `body.x`). */
        ValidationFailed: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "VALIDATION_FAILED",
                 *         "message": "The request is not valid; see details for each field.",
                 *         "details": [
                 *           {
                 *             "field": "body.name",
                 *             "code": "invalid_type",
                 *             "message": "is required"
                 *           }
                 *         ],
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description No valid access token. */
        Unauthenticated: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "UNAUTHENTICATED",
                 *         "message": "A valid access token is required.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The caller may not perform this action. */
        Forbidden: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "FORBIDDEN",
                 *         "message": "You are not allowed to perform this action.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request body is larger than 262144 bytes. */
        PayloadTooLarge: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "PAYLOAD_TOO_LARGE",
                 *         "message": "The request body must be at most 262144 bytes.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "UNSUPPORTED_MEDIA_TYPE",
                 *         "message": "The request body must be application/json.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Too many requests; retry after the number of seconds in `Retry-After`. */
        Throttled: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "THROTTLED",
                 *         "message": "Too many requests; retry later.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Unexpected error; the body carries only the request id. */
        Internal: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "INTERNAL",
                 *         "message": "Internal error.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description A backing service is throttled or unreachable; retry after `Retry-After` seconds. */
        DependencyUnavailable: {
            headers: {
                "X-Correlation-Id": components["headers"]["CorrelationId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "DEPENDENCY_UNAVAILABLE",
                 *         "message": "A backing service is unavailable; retry later.",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
    };
    parameters: {
        /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
        CorrelationId: string;
    };
    requestBodies: never;
    headers: {
        /** @description The caller's `x-correlation-id` when it is a plain token, otherwise the request id. */
        CorrelationId: string;
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "health.get": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every check is up */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
            429: components["responses"]["Throttled"];
            /** @description Unexpected error */
            500: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description At least one dependency is down (the failing check is named) */
            503: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
        };
    };
    "health.database": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every check is up */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
            429: components["responses"]["Throttled"];
            /** @description Unexpected error */
            500: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description At least one dependency is down (the failing check is named) */
            503: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
        };
    };
    "health.identity": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every check is up */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
            429: components["responses"]["Throttled"];
            /** @description Unexpected error */
            500: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description At least one dependency is down (the failing check is named) */
            503: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        stage: string;
                        checkedAt: string;
                        checks: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "down";
                                latencyMs: number;
                                reason?: string;
                            };
                        };
                        localRuntime?: {
                            uptimeSeconds: number;
                            memory: {
                                rssBytes: number;
                                heapUsedBytes: number;
                            };
                            emulators: {
                                [key: string]: "running" | "exited";
                            };
                        };
                    };
                };
            };
        };
    };
    "docs.openapi": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "docs.ui": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML page */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "docs.redoc": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML page */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.register": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    fullName: string;
                };
            };
        };
        responses: {
            /** @description Account created — or, for an address that already has one, the same answer (its owner is told by e-mail instead) */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        /** @enum {string} */
                        status: "confirmed" | "confirmation_required";
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.confirm": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    code: string;
                };
            };
        };
        responses: {
            /** @description Confirmed */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.login": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Tokens, or the next step of the sign-in */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        idToken: string;
                        refreshToken?: string;
                        expiresIn: number;
                    } | {
                        /** @enum {string} */
                        challenge: "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" | "NEW_PASSWORD_REQUIRED";
                        session: string;
                        expiresIn: number;
                        secretCode?: string;
                        otpauthUri?: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description Wrong e-mail or password (the same answer for an address without an account) */
            401: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Too many failures from this address for this e-mail (Retry-After) */
            429: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.loginMfa": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    session: string;
                    code: string;
                };
            };
        };
        responses: {
            /** @description Tokens, or the next step of the sign-in */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        idToken: string;
                        refreshToken?: string;
                        expiresIn: number;
                    } | {
                        /** @enum {string} */
                        challenge: "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" | "NEW_PASSWORD_REQUIRED";
                        session: string;
                        expiresIn: number;
                        secretCode?: string;
                        otpauthUri?: string;
                    };
                };
            };
            /** @description The session is not one this API issued, or has expired */
            400: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description A wrong code, or the sign-in step expired */
            401: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.loginNewPassword": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    session: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Tokens, or the next step of the sign-in */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        idToken: string;
                        refreshToken?: string;
                        expiresIn: number;
                    } | {
                        /** @enum {string} */
                        challenge: "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" | "NEW_PASSWORD_REQUIRED";
                        session: string;
                        expiresIn: number;
                        secretCode?: string;
                        otpauthUri?: string;
                    };
                };
            };
            /** @description The new password breaks the policy (each rule named), or the session is not valid */
            400: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.refresh": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description Tokens */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        idToken: string;
                        refreshToken?: string;
                        expiresIn: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.logout": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.changePassword": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Changed; every sign-in ended: sign in again with the new password */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The new password breaks the policy, or the current one is wrong */
            400: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.forgotPassword": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description A code is on its way if the address has an account */
            202: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.resetPassword": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    code: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description The password is set; every sign-in of the account ended */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A wrong or expired code, or a new password that breaks the policy */
            400: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.totpAssociate": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secretCode: string;
                        otpauthUri: string;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.totpVerify": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description TOTP is in force for every later sign-in */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A wrong code */
            400: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "auth.me": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Profile */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        fullName: string;
                        departmentId?: string;
                        jobTitle?: string;
                        roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                        isActive: boolean;
                        /** @enum {string} */
                        accountState: "active" | "deactivated" | "erasure_pending";
                        deletedAt?: string;
                        erasureRequestedAt?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                        consents: {
                            clinicianAccess: {
                                granted: boolean;
                                clinicianIds: string[];
                                version: number;
                                updatedAt: string | null;
                            };
                            aggregateAnalytics: {
                                granted: boolean;
                                version: number;
                                updatedAt: string | null;
                            };
                        };
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.list": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                departmentId?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of profiles */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            email: string;
                            fullName: string;
                            departmentId?: string;
                            jobTitle?: string;
                            roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                            isActive: boolean;
                            /** @enum {string} */
                            accountState: "active" | "deactivated" | "erasure_pending";
                            deletedAt?: string;
                            erasureRequestedAt?: string;
                            createdAt: string;
                            updatedAt: string;
                            version: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.get": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Profile */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        fullName: string;
                        departmentId?: string;
                        jobTitle?: string;
                        roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                        isActive: boolean;
                        /** @enum {string} */
                        accountState: "active" | "deactivated" | "erasure_pending";
                        deletedAt?: string;
                        erasureRequestedAt?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.update": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    fullName?: string;
                    jobTitle?: string | null;
                    departmentId?: string | null;
                    isActive?: boolean;
                };
            };
        };
        responses: {
            /** @description Updated profile */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        fullName: string;
                        departmentId?: string;
                        jobTitle?: string;
                        roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                        isActive: boolean;
                        /** @enum {string} */
                        accountState: "active" | "deactivated" | "erasure_pending";
                        deletedAt?: string;
                        erasureRequestedAt?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.deactivate": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deactivated */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.setRoles": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                };
            };
        };
        responses: {
            /** @description Updated profile */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        fullName: string;
                        departmentId?: string;
                        jobTitle?: string;
                        roles: ("employee" | "manager" | "clinician" | "admin" | "auditor")[];
                        isActive: boolean;
                        /** @enum {string} */
                        accountState: "active" | "deactivated" | "erasure_pending";
                        deletedAt?: string;
                        erasureRequestedAt?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            /** @description The change grants or removes clinician or auditor (the platform operator’s roles) */
            403: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The set breaks separation of duties, or would remove the last enabled admin */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "users.listClinicians": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the directory */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            displayName: string;
                            organisationUnit: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "departments.list": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of departments */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            description?: string;
                            managerIds: string[];
                            parentId?: string;
                            createdAt: string;
                            updatedAt: string;
                            version: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "departments.create": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    managerIds?: string[];
                    /** Format: uuid */
                    parentId?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description?: string;
                        managerIds: string[];
                        parentId?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description Name taken */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "departments.update": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                department_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    name?: string;
                    description?: string | null;
                    managerIds?: string[];
                    parentId?: string | null;
                };
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description?: string;
                        managerIds: string[];
                        parentId?: string;
                        createdAt: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description Stale version or name taken */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "audit.search": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
                subjectId?: string;
                actorId?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit records */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            at: string;
                            actor: {
                                /** @enum {string} */
                                type: "user" | "machine" | "anonymous" | "operator";
                                id: string | null;
                                roles: string[];
                            };
                            action: string;
                            resource: {
                                type: string;
                                id: string | null;
                                ids?: string[];
                            };
                            subjectId: string | null;
                            /** @enum {string} */
                            outcome: "allowed" | "denied";
                            status: number;
                            reason: string | null;
                            requestId: string;
                            sourceIp: string;
                            userAgent: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "privacy.getConsents": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Consents */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clinicianAccess: {
                            granted: boolean;
                            clinicianIds: string[];
                            version: number;
                            updatedAt: string | null;
                        };
                        aggregateAnalytics: {
                            granted: boolean;
                            version: number;
                            updatedAt: string | null;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "privacy.updateConsents": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clinicianAccess?: {
                        granted: boolean;
                        clinicianIds?: string[];
                    };
                    aggregateAnalytics?: {
                        granted: boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Consents */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clinicianAccess: {
                            granted: boolean;
                            clinicianIds: string[];
                            version: number;
                            updatedAt: string | null;
                        };
                        aggregateAnalytics: {
                            granted: boolean;
                            version: number;
                            updatedAt: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description Concurrent changes kept colliding; retry */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "privacy.export": {
        parameters: {
            query?: {
                cursor?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Everything the service holds about me (one part) */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        format: "mha-export/1";
                        subjectId: string;
                        exportedAt: string;
                        part: number;
                        complete: boolean;
                        nextCursor: string | null;
                        profile?: {
                            [key: string]: unknown;
                        };
                        consents?: {
                            clinicianAccess: {
                                granted: boolean;
                                clinicianIds: string[];
                                version: number;
                                updatedAt: string | null;
                            };
                            aggregateAnalytics: {
                                granted: boolean;
                                version: number;
                                updatedAt: string | null;
                            };
                        };
                        consentHistory: {
                            [key: string]: unknown;
                        }[];
                        records: {
                            [key: string]: {
                                [key: string]: unknown;
                            }[];
                        };
                        emoBuddyMessages: {
                            [key: string]: {
                                [key: string]: unknown;
                            }[];
                        };
                        accessLog: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "privacy.accessLog": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit records about me */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            at: string;
                            actor: {
                                /** @enum {string} */
                                type: "user" | "machine" | "anonymous" | "operator";
                                id: string | null;
                                roles: string[];
                            };
                            action: string;
                            resource: {
                                type: string;
                                id: string | null;
                                ids?: string[];
                            };
                            subjectId: string | null;
                            /** @enum {string} */
                            outcome: "allowed" | "denied";
                            status: number;
                            reason: string | null;
                            requestId: string;
                            sourceIp: string;
                            userAgent: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "privacy.erase": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erasure scheduled (the same answer while it is pending) */
            202: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestedAt: string;
                        purgeAfter: string;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.storeChat": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    userId?: string;
                    sentiment: {
                        /** @enum {string} */
                        label: "positive" | "negative" | "neutral";
                        score: number;
                    };
                    emotions: {
                        anger?: number;
                        disgust?: number;
                        fear?: number;
                        joy?: number;
                        sadness?: number;
                        surprise?: number;
                        neutral?: number;
                    };
                    model: {
                        name: string;
                        version: string;
                    };
                    /** Format: date-time */
                    analyzedAt: string;
                    mentalState?: {
                        [key: string]: number;
                    };
                    riskFlags?: ("crisis" | "self_harm")[];
                    sourceId?: string;
                };
            };
        };
        responses: {
            /** @description Stored (a replay of the same Idempotency-Key and body answers the same) */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "chat" | "speech" | "video";
                        userId: string;
                        sentiment: {
                            /** @enum {string} */
                            label: "positive" | "negative" | "neutral";
                            score: number;
                        };
                        emotions: {
                            [key: string]: number;
                        };
                        model: {
                            name: string;
                            version: string;
                        };
                        analyzedAt: string;
                        mentalState?: {
                            [key: string]: number;
                        };
                        riskFlags: string[];
                        sourceId?: string;
                        transcription?: string;
                        transcriptionStored?: boolean;
                        durationSec?: number;
                        voiceFeatures?: {
                            [key: string]: number;
                        };
                        facialEmotions?: {
                            [key: string]: number;
                        };
                        framesAnalysed?: number;
                        expiresAt?: string;
                        alertRaised: boolean;
                        createdAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            /** @description A user storing an analysis for someone else */
            403: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The user’s account is closed, or the same Idempotency-Key is in flight */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.storeSpeech": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    userId?: string;
                    sentiment: {
                        /** @enum {string} */
                        label: "positive" | "negative" | "neutral";
                        score: number;
                    };
                    emotions: {
                        anger?: number;
                        disgust?: number;
                        fear?: number;
                        joy?: number;
                        sadness?: number;
                        surprise?: number;
                        neutral?: number;
                    };
                    model: {
                        name: string;
                        version: string;
                    };
                    /** Format: date-time */
                    analyzedAt: string;
                    mentalState?: {
                        [key: string]: number;
                    };
                    riskFlags?: ("crisis" | "self_harm")[];
                    sourceId?: string;
                    transcription?: string;
                    durationSec: number;
                    voiceFeatures?: {
                        [key: string]: number;
                    };
                };
            };
        };
        responses: {
            /** @description Stored (a replay of the same Idempotency-Key and body answers the same) */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "chat" | "speech" | "video";
                        userId: string;
                        sentiment: {
                            /** @enum {string} */
                            label: "positive" | "negative" | "neutral";
                            score: number;
                        };
                        emotions: {
                            [key: string]: number;
                        };
                        model: {
                            name: string;
                            version: string;
                        };
                        analyzedAt: string;
                        mentalState?: {
                            [key: string]: number;
                        };
                        riskFlags: string[];
                        sourceId?: string;
                        transcription?: string;
                        transcriptionStored?: boolean;
                        durationSec?: number;
                        voiceFeatures?: {
                            [key: string]: number;
                        };
                        facialEmotions?: {
                            [key: string]: number;
                        };
                        framesAnalysed?: number;
                        expiresAt?: string;
                        alertRaised: boolean;
                        createdAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            /** @description A user storing an analysis for someone else */
            403: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The user’s account is closed, or the same Idempotency-Key is in flight */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.storeVideo": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    userId?: string;
                    sentiment: {
                        /** @enum {string} */
                        label: "positive" | "negative" | "neutral";
                        score: number;
                    };
                    emotions: {
                        anger?: number;
                        disgust?: number;
                        fear?: number;
                        joy?: number;
                        sadness?: number;
                        surprise?: number;
                        neutral?: number;
                    };
                    model: {
                        name: string;
                        version: string;
                    };
                    /** Format: date-time */
                    analyzedAt: string;
                    mentalState?: {
                        [key: string]: number;
                    };
                    riskFlags?: ("crisis" | "self_harm")[];
                    sourceId?: string;
                    facialEmotions: {
                        anger?: number;
                        disgust?: number;
                        fear?: number;
                        joy?: number;
                        sadness?: number;
                        surprise?: number;
                        neutral?: number;
                    };
                    framesAnalysed: number;
                    durationSec: number;
                };
            };
        };
        responses: {
            /** @description Stored (a replay of the same Idempotency-Key and body answers the same) */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "chat" | "speech" | "video";
                        userId: string;
                        sentiment: {
                            /** @enum {string} */
                            label: "positive" | "negative" | "neutral";
                            score: number;
                        };
                        emotions: {
                            [key: string]: number;
                        };
                        model: {
                            name: string;
                            version: string;
                        };
                        analyzedAt: string;
                        mentalState?: {
                            [key: string]: number;
                        };
                        riskFlags: string[];
                        sourceId?: string;
                        transcription?: string;
                        transcriptionStored?: boolean;
                        durationSec?: number;
                        voiceFeatures?: {
                            [key: string]: number;
                        };
                        facialEmotions?: {
                            [key: string]: number;
                        };
                        framesAnalysed?: number;
                        expiresAt?: string;
                        alertRaised: boolean;
                        createdAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            /** @description A user storing an analysis for someone else */
            403: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The user’s account is closed, or the same Idempotency-Key is in flight */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.storeBatch": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                type: "chat" | "speech" | "video";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    items: unknown[];
                };
            };
        };
        responses: {
            /** @description Per-item results in request order */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            index: number;
                            status: number;
                            id?: string;
                            error?: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    code: string;
                                    message: string;
                                }[];
                            };
                        }[];
                        stored: number;
                        failed: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description The same Idempotency-Key is in flight */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.listChat": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of analyses */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "chat" | "speech" | "video";
                            userId: string;
                            sentiment: {
                                /** @enum {string} */
                                label: "positive" | "negative" | "neutral";
                                score: number;
                            };
                            emotions: {
                                [key: string]: number;
                            };
                            model: {
                                name: string;
                                version: string;
                            };
                            analyzedAt: string;
                            mentalState?: {
                                [key: string]: number;
                            };
                            riskFlags: string[];
                            sourceId?: string;
                            transcription?: string;
                            transcriptionStored?: boolean;
                            durationSec?: number;
                            voiceFeatures?: {
                                [key: string]: number;
                            };
                            facialEmotions?: {
                                [key: string]: number;
                            };
                            framesAnalysed?: number;
                            expiresAt?: string;
                            alertRaised: boolean;
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.listSpeech": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of analyses */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "chat" | "speech" | "video";
                            userId: string;
                            sentiment: {
                                /** @enum {string} */
                                label: "positive" | "negative" | "neutral";
                                score: number;
                            };
                            emotions: {
                                [key: string]: number;
                            };
                            model: {
                                name: string;
                                version: string;
                            };
                            analyzedAt: string;
                            mentalState?: {
                                [key: string]: number;
                            };
                            riskFlags: string[];
                            sourceId?: string;
                            transcription?: string;
                            transcriptionStored?: boolean;
                            durationSec?: number;
                            voiceFeatures?: {
                                [key: string]: number;
                            };
                            facialEmotions?: {
                                [key: string]: number;
                            };
                            framesAnalysed?: number;
                            expiresAt?: string;
                            alertRaised: boolean;
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analyses.listVideo": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of analyses */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "chat" | "speech" | "video";
                            userId: string;
                            sentiment: {
                                /** @enum {string} */
                                label: "positive" | "negative" | "neutral";
                                score: number;
                            };
                            emotions: {
                                [key: string]: number;
                            };
                            model: {
                                name: string;
                                version: string;
                            };
                            analyzedAt: string;
                            mentalState?: {
                                [key: string]: number;
                            };
                            riskFlags: string[];
                            sourceId?: string;
                            transcription?: string;
                            transcriptionStored?: boolean;
                            durationSec?: number;
                            voiceFeatures?: {
                                [key: string]: number;
                            };
                            facialEmotions?: {
                                [key: string]: number;
                            };
                            framesAnalysed?: number;
                            expiresAt?: string;
                            alertRaised: boolean;
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "emo-buddy.listSessions": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            userId: string;
                            /** @enum {string} */
                            status: "active" | "ended";
                            startedAt: string;
                            endedAt?: string;
                            messageCount: number;
                            durationSec?: number;
                            summary?: string;
                            moodAfter?: number;
                            updatedAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "emo-buddy.startSession": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The active session that already existed */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userId: string;
                        /** @enum {string} */
                        status: "active" | "ended";
                        startedAt: string;
                        endedAt?: string;
                        messageCount: number;
                        durationSec?: number;
                        summary?: string;
                        moodAfter?: number;
                        updatedAt: string;
                    };
                };
            };
            /** @description A new session */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userId: string;
                        /** @enum {string} */
                        status: "active" | "ended";
                        startedAt: string;
                        endedAt?: string;
                        messageCount: number;
                        durationSec?: number;
                        summary?: string;
                        moodAfter?: number;
                        updatedAt: string;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "emo-buddy.listMessages": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                session_uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            sessionId: string;
                            seq: number;
                            /** @enum {string} */
                            role: "user" | "assistant";
                            content: string | null;
                            contentStored: boolean;
                            detectedEmotion?: string;
                            riskFlags: string[];
                            alertRaised: boolean;
                            createdAt: string;
                            expiresAt?: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No such session of yours (another user’s session is not found either) */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "emo-buddy.postMessage": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                session_uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "user" | "assistant";
                    content: string;
                    /** @enum {string} */
                    detectedEmotion?: "anger" | "disgust" | "fear" | "joy" | "sadness" | "surprise" | "neutral";
                    riskFlags?: ("crisis" | "self_harm")[];
                };
            };
        };
        responses: {
            /** @description The stored message (with the crisis resources when it raised a risk alert) */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        sessionId: string;
                        seq: number;
                        /** @enum {string} */
                        role: "user" | "assistant";
                        content: string | null;
                        contentStored: boolean;
                        detectedEmotion?: string;
                        riskFlags: string[];
                        alertRaised: boolean;
                        createdAt: string;
                        expiresAt?: string;
                        crisisResources?: {
                            message: string;
                            contacts: {
                                name: string;
                                phone?: string;
                                url?: string;
                            }[];
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No such session of yours (another user’s session is not found either) */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The session has ended */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "emo-buddy.endSession": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                session_uuid: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    summary?: string;
                    moodAfter?: number;
                };
            };
        };
        responses: {
            /** @description The ended session */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userId: string;
                        /** @enum {string} */
                        status: "active" | "ended";
                        startedAt: string;
                        endedAt?: string;
                        messageCount: number;
                        durationSec?: number;
                        summary?: string;
                        moodAfter?: number;
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No such session of yours (another user’s session is not found either) */
            404: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Already ended */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "surveys.instruments": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every instrument at its current version */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        instruments: {
                            /** @enum {string} */
                            id: "phq9" | "gad7" | "who5" | "pss10" | "cbi" | "custom";
                            version: string;
                            name: string;
                            measures: string;
                            period: string | null;
                            items: {
                                id: string;
                                label: string;
                                scored: boolean;
                                optional: boolean;
                                reverseScored?: boolean;
                                subscale?: string;
                                scale?: {
                                    min: number;
                                    max: number;
                                    anchors: string[];
                                };
                            }[];
                            scale: {
                                min: number;
                                max: number;
                                anchors: string[];
                            } | null;
                            scoring: {
                                method: string;
                                range: {
                                    min: number;
                                    max: number;
                                } | null;
                            };
                            bands: {
                                id: string;
                                min: number;
                                below?: number;
                            }[];
                            flags: {
                                id: string;
                                rule: string;
                            }[];
                            severityJump: string | null;
                            licence: {
                                note: string;
                                commercialUseAllowed: boolean;
                                citation: string;
                            };
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "surveys.submit": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    instrument: "phq9" | "gad7" | "who5" | "pss10" | "cbi" | "custom";
                    version?: string;
                    answers: {
                        [key: string]: number | string;
                    };
                };
            };
        };
        responses: {
            /** @description The stored response; `crisisResources` when a risk signal fired */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userId: string;
                        /** @enum {string} */
                        instrument: "phq9" | "gad7" | "who5" | "pss10" | "cbi" | "custom";
                        version: string;
                        answers: {
                            [key: string]: number | string;
                        };
                        scores: {
                            total: number | null;
                            raw?: number;
                            subscales?: {
                                [key: string]: number;
                            };
                        };
                        band: string | null;
                        flags: string[];
                        subscaleBands?: {
                            [key: string]: string;
                        };
                        submittedAt: string;
                        crisisResources?: {
                            message: string;
                            contacts: {
                                name: string;
                                phone?: string;
                                url?: string;
                            }[];
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A request with the same Idempotency-Key is still in progress */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "surveys.listByUser": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                from?: string;
                to?: string;
                instrument?: "phq9" | "gad7" | "who5" | "pss10" | "cbi" | "custom";
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of responses */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            userId: string;
                            /** @enum {string} */
                            instrument: "phq9" | "gad7" | "who5" | "pss10" | "cbi" | "custom";
                            version: string;
                            answers: {
                                [key: string]: number | string;
                            };
                            scores: {
                                total: number | null;
                                raw?: number;
                                subscales?: {
                                    [key: string]: number;
                                };
                            };
                            band: string | null;
                            flags: string[];
                            subscaleBands?: {
                                [key: string]: string;
                            };
                            submittedAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "surveys.burnoutTrend": {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Trend and risk (advice, not a diagnosis) */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        from: string;
                        to: string;
                        series: {
                            responseId: string;
                            at: string;
                            work: number;
                            personal: number;
                            client?: number;
                        }[];
                        slopePer30Days: {
                            work: number | null;
                            personal: number | null;
                        };
                        slopeBasis: {
                            /** @enum {string} */
                            status: "ok" | "insufficient_data";
                            responses: number;
                            spanDays: number;
                            reason: string | null;
                        };
                        latest: {
                            at: string;
                            work: number;
                            personal: number;
                            band: string;
                        } | null;
                        change: {
                            work: number | null;
                            flagged: boolean;
                        };
                        risk: {
                            /** @enum {string} */
                            level: "low" | "moderate" | "high" | "insufficient_data";
                            score: number | null;
                            factors: {
                                name: string;
                                value: number;
                                weight: number;
                                contribution: number;
                            }[];
                            missing: string[];
                            model: string;
                            disclaimer: string;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "alerts.list": {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                status?: "unresolved" | "open" | "acknowledged" | "resolved";
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of alerts */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            userId: string;
                            source: {
                                /** @enum {string} */
                                type: "survey_response" | "chat_analysis" | "speech_analysis" | "video_analysis" | "emo_buddy_message";
                                id: string;
                            };
                            reasons: ("suicidal_ideation" | "crisis" | "self_harm" | "severity_jump")[];
                            /** @enum {string} */
                            status: "open" | "acknowledged" | "resolved";
                            createdAt: string;
                            acknowledgedAt?: string;
                            acknowledgedBy?: string;
                            resolvedAt?: string;
                            resolvedBy?: string;
                            note?: string;
                            updatedAt: string;
                            version: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "alerts.update": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                alert_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "acknowledged" | "resolved";
                    version: number;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description The alert after the change */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userId: string;
                        source: {
                            /** @enum {string} */
                            type: "survey_response" | "chat_analysis" | "speech_analysis" | "video_analysis" | "emo_buddy_message";
                            id: string;
                        };
                        reasons: ("suicidal_ideation" | "crisis" | "self_harm" | "severity_jump")[];
                        /** @enum {string} */
                        status: "open" | "acknowledged" | "resolved";
                        createdAt: string;
                        acknowledgedAt?: string;
                        acknowledgedBy?: string;
                        resolvedAt?: string;
                        resolvedBy?: string;
                        note?: string;
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description Stale version, or a transition the alert’s status does not allow */
            409: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analytics.userSummary": {
        parameters: {
            query?: {
                period?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary (default period: the current month) */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        period: string;
                        counts: {
                            items: number;
                            analyses: {
                                chat: number;
                                speech: number;
                                video: number;
                            };
                            surveyResponses: number;
                            emoBuddy: {
                                sessions: number;
                                ended: number;
                                messages: number;
                            };
                        };
                        sentiment: {
                            analyses: number;
                            counts: {
                                positive: number;
                                negative: number;
                                neutral: number;
                            };
                            shares: {
                                positive: number | null;
                                negative: number | null;
                                neutral: number | null;
                            };
                        };
                        emotions: {
                            anger: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            disgust: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            fear: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            joy: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            sadness: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            surprise: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                            neutral: {
                                analyses: number;
                                meanProbability: number | null;
                            };
                        };
                        surveys: {
                            [key: string]: {
                                responses: number;
                                meanScore: number | null;
                                bands: {
                                    [key: string]: number;
                                };
                            };
                        };
                        latestScores: {
                            [key: string]: {
                                responseId: string;
                                at: string;
                                score: number | null;
                                band: string | null;
                                subscales?: {
                                    [key: string]: number;
                                };
                            } | null;
                        };
                        burnoutRisk: {
                            /** @enum {string} */
                            level: "low" | "moderate" | "high" | "insufficient_data";
                            score: number | null;
                            factors: {
                                name: string;
                                value: number;
                                weight: number;
                                contribution: number;
                            }[];
                            missing: string[];
                            model: string;
                            disclaimer: string;
                        };
                        emoBuddy: {
                            sessions: number;
                            ended: number;
                            messages: number;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
    "analytics.overview": {
        parameters: {
            query?: {
                period?: string;
            };
            header?: {
                /** @description Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back. */
                "x-correlation-id"?: components["parameters"]["CorrelationId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default period: the latest closed month. A withheld number is null; a cell with nothing shown carries no numbers */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["CorrelationId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        period: string;
                        organisation: ({
                            /** @constant */
                            suppressed: true;
                        } | {
                            /** @constant */
                            suppressed: false;
                            contributors: number | null;
                            analyses: number | null;
                            sentiment: {
                                counts: {
                                    positive: number | null;
                                    negative: number | null;
                                    neutral: number | null;
                                };
                                shares: {
                                    positive: number | null;
                                    negative: number | null;
                                    neutral: number | null;
                                };
                            };
                            emotions: {
                                anger: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                disgust: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                fear: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                joy: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                sadness: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                surprise: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                neutral: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                            };
                            emoBuddySessions: number | null;
                            instruments: {
                                [key: string]: {
                                    responses: number | null;
                                    meanScore: number | null;
                                    bands: {
                                        [key: string]: number | null;
                                    };
                                };
                            };
                            trend: {
                                previousPeriod: string;
                                contributors: number | null;
                                analyses: number | null;
                                negativeSentimentShare: number | null;
                                meanScores: {
                                    [key: string]: number | null;
                                };
                            } | null;
                        }) | null;
                        departments: ({
                            departmentId: string;
                            name: string;
                            /** @constant */
                            suppressed: true;
                        } | {
                            departmentId: string;
                            name: string;
                            /** @constant */
                            suppressed: false;
                            contributors: number | null;
                            analyses: number | null;
                            sentiment: {
                                counts: {
                                    positive: number | null;
                                    negative: number | null;
                                    neutral: number | null;
                                };
                                shares: {
                                    positive: number | null;
                                    negative: number | null;
                                    neutral: number | null;
                                };
                            };
                            emotions: {
                                anger: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                disgust: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                fear: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                joy: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                sadness: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                surprise: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                                neutral: {
                                    analyses: number | null;
                                    meanProbability: number | null;
                                };
                            };
                            emoBuddySessions: number | null;
                            instruments: {
                                [key: string]: {
                                    responses: number | null;
                                    meanScore: number | null;
                                };
                            };
                            trend: {
                                previousPeriod: string;
                                contributors: number | null;
                                analyses: number | null;
                                negativeSentimentShare: number | null;
                                meanScores: {
                                    [key: string]: number | null;
                                };
                            } | null;
                        })[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["Throttled"];
            500: components["responses"]["Internal"];
            503: components["responses"]["DependencyUnavailable"];
        };
    };
}
