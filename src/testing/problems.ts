/**
 * Airbyte's problem types, as airbyte-platform's `airbyte-api/problems-api/src/main/openapi/api-problems.yaml`
 * defines them (`type`, `title`, default `detail`). The server's generated throwables
 * (`airbyte-api/problems-api/src/main/resources/templates/ThrowableProblem.kt.txt`) keep the default
 * detail unless one is given, so the `type` URL is not always `…/errors#<title>`: e.g.
 * `unexpected-problem` has no fragment and `state-conflict` is `#409-state-conflict`.
 */
export const PROBLEM_TYPES = {
  'bad-request': { status: 400, type: 'https://reference.airbyte.com/reference/errors#bad-request', detail: 'The request could not be understood by the server due to malformed syntax.' },
  'invalid-api-key': { status: 401, type: 'https://reference.airbyte.com/reference/errors#invalid-api-key', detail: 'The API key in the Authorization header is invalid.' },
  forbidden: { status: 403, type: 'https://reference.airbyte.com/reference/errors#forbidden', detail: 'The request is forbidden.' },
  'resource-not-found': { status: 404, type: 'https://reference.airbyte.com/reference/errors#resource-not-found', detail: 'The requested resource could not be found.' },
  'unprocessable-entity': { status: 422, type: 'https://reference.airbyte.com/reference/errors#unprocessable-entity', detail: 'The body of the request was not understood' },
  'value-not-found': { status: 400, type: 'https://reference.airbyte.com/reference/errors', detail: 'The submitted value could not be found.' },
  'state-conflict': { status: 409, type: 'https://reference.airbyte.com/reference/errors#409-state-conflict', detail: 'State conflict' },
  'invalid-redirect-url': { status: 422, type: 'https://reference.airbyte.com/reference/errors#invalid-redirect-url', detail: 'Redirect URL format not understood. Please verify that it is a valid URI and uses HTTPS.' },
  'try-again-later': { status: 409, type: 'https://reference.airbyte.com/reference/errors#try-again-later', detail: 'Please try again later.' },
  'unexpected-problem': {
    status: 500,
    type: 'https://reference.airbyte.com/reference/errors',
    detail: 'An unexpected problem has occurred. If this is an error that needs to be addressed, please submit a pull request or github issue.',
  },
} as const;

/** A problem title the emulator knows the `type` and default `detail` of. */
export type ProblemTitle = keyof typeof PROBLEM_TYPES;

/**
 * Airbyte's error body (`{type, title, status, detail, data}`), served as `application/json` like the
 * real API. Known titles get their `type` URL and default `detail` from {@link PROBLEM_TYPES}.
 */
export function problem(status: number, title: string, detail?: string, data?: unknown): Response {
  const known = (PROBLEM_TYPES as Record<string, { type: string; detail: string } | undefined>)[title];
  const body = {
    type: known?.type ?? `https://reference.airbyte.com/reference/errors#${title}`,
    title,
    status,
    detail: detail ?? known?.detail ?? title,
    ...(data === undefined ? {} : { data }),
  };
  return Response.json(body, { status });
}

/** A known problem with its default detail and `data: {message}`. */
export function knownProblem(title: ProblemTitle, message?: string): Response {
  return problem(PROBLEM_TYPES[title].status, title, undefined, message === undefined ? undefined : { message });
}

/** 400 `bad-request` with the reason in `data.message`. */
export const badRequest = (message: string) => knownProblem('bad-request', message);
/** 404 `resource-not-found` with `data: {resourceType, resourceId}`. */
export const notFound = (resourceType: string, resourceId: string) => problem(404, 'resource-not-found', undefined, { resourceType, resourceId });
/** 401 `invalid-api-key`. */
export const unauthorized = () => knownProblem('invalid-api-key', 'Invalid or expired access token.');

/**
 * 403 `forbidden` as airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt
 * throws it (`ForbiddenProblem`): `requireRole(role)` says "Caller does not have the required <ROLE>
 * permissions to access the resource(s).", `requireOneOfRoles` "Caller does not have the required
 * permissions to access the resource(s)." (pass no role).
 */
export const forbidden = (role?: string) =>
  problem(403, 'forbidden', undefined, { message: `Caller does not have the required ${role ? `${role} ` : ''}permissions to access the resource(s).` });

/**
 * Micronaut Security's own refusal (not an Airbyte problem): `DefaultAuthorizationExceptionHandler`
 * (micronaut-projects/micronaut-security, security/src/main/java/io/micronaut/security/authentication/DefaultAuthorizationExceptionHandler.java)
 * answers 401 "Unauthorized" when no valid token authenticated the request, 403 "Forbidden" when a
 * `@Secured(roles)` annotation refused it, through the default error processor
 * (micronaut-core http-server/.../exceptions/response/DefaultJsonErrorResponseBodyProvider.java): a
 * HATEOAS `JsonError` with the reason, a self link to the request path and, errors being serialized
 * as a list (Micronaut 4's default), the reason again under `_embedded.errors`.
 */
export function micronautRefusal(status: 401 | 403, path: string): Response {
  const message = status === 401 ? 'Unauthorized' : 'Forbidden';
  return Response.json({ message, _links: { self: { href: path, templated: false } }, _embedded: { errors: [{ message }] } }, { status });
}

/**
 * An exception no problem handler maps: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/UncaughtExceptionHandler.kt
 * answers 500 with only `{errorId}`; InvalidClientCredentialsExceptionHandler.kt answers a wrong
 * client id/secret the same way with 401.
 */
export const errorIdOnly = (status: number) => Response.json({ errorId: crypto.randomUUID() }, { status });

/**
 * A `KnownException` (BadRequestException, NotFoundException, …) as
 * airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/KnownExceptionHandler.kt
 * serializes it (`KnownException.infoFromThrowable`: message and errorId; no stack in the answer).
 */
export const knownExceptionBody = (status: number, message: string) => Response.json({ message, errorId: crypto.randomUUID() }, { status });
