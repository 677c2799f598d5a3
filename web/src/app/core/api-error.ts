import { HttpErrorResponse } from '@angular/common/http';

/** An API failure with a message fit to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server's own `{"message": ...}` when it sent one. */
function serverMessage(e: HttpErrorResponse): string | undefined {
  const body = e.error as unknown;
  if (
    body &&
    typeof body === 'object' &&
    typeof (body as { message?: unknown }).message === 'string'
  ) {
    return (body as { message: string }).message;
  }
  if (typeof body === 'string' && body.startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

/** Maps an HTTP failure to the message the app shows. */
export function toApiError(e: HttpErrorResponse): ApiError {
  const detail = serverMessage(e);
  switch (true) {
    case e.status === 0:
      return new ApiError(
        0,
        'Cannot reach the accidents API. Check your connection and try again.',
      );
    case e.status === 403:
      return new ApiError(
        403,
        'The API gateway refused the request (403 Forbidden): this app is not allowed to use the API with its current key or plan.' +
          (detail ? ` Gateway said: ${detail}` : ''),
      );
    case e.status === 429:
      return new ApiError(
        429,
        'Too many requests (429): the API gateway’s rate limit or quota was reached. Wait a moment, then try again.',
      );
    case e.status === 400:
      return new ApiError(400, `The API did not accept the question (400): ${detail ?? e.message}`);
    case e.status >= 500:
      return new ApiError(
        e.status,
        `The API failed (${e.status}). Try again later.${detail ? ` ${detail}` : ''}`,
      );
    default:
      return new ApiError(e.status, detail ?? `Request failed (${e.status} ${e.statusText}).`);
  }
}
