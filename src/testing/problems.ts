/** Airbyte's error body (`{type, title, status, detail, data}`), served as `application/json` like the real API. */
export function problem(status: number, title: string, detail: string, data?: unknown): Response {
  const body = {
    type: `https://reference.airbyte.com/reference/errors#${title}`,
    title,
    status,
    detail,
    ...(data === undefined ? {} : { data }),
  };
  return Response.json(body, { status });
}

export const badRequest = (message: string) => problem(400, 'bad-request', 'The request could not be processed.', { message });
export const notFound = (resourceType: string, resourceId: string) =>
  problem(404, 'resource-not-found', `Could not find a resource for: ${resourceId}`, { resourceType, resourceId });
export const unauthorized = () => problem(401, 'invalid-api-key', 'The API key is invalid or has expired.', { message: 'Invalid or expired access token.' });
