import type { FailureStatus } from '@binder-cell/launch-protocol';

/**
 * The one error type the pipeline throws on purpose: it carries the HTTP status the
 * request would have answered with and a message meant for the person who launched.
 */
export class HttpError extends Error {
  override name = 'HttpError';

  /** Response headers that go with the status (`Retry-After` with a 429, say). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: FailureStatus,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.headers = options?.headers ?? {};
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const unprocessable = (message: string) => new HttpError(422, message);
