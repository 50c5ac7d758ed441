import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.ts';

/** An error the management API answers as `{ error, error_description }` with its status. */
export class ApiError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413;
  readonly error: string;
  readonly description: string;
  readonly headers: Record<string, string>;

  constructor(
    status: 400 | 401 | 403 | 404 | 409 | 413,
    error: string,
    description: string,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.status = status;
    this.error = error;
    this.description = description;
    this.headers = headers;
    this.name = 'ApiError';
  }
}

/** Every failure as JSON: known ones with their status, body-parser failures as 400/413, the rest as 500 without details. */
export function apiErrorHandler(log: Logger) {
  return (thrown: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const error = thrown instanceof ApiError ? thrown : bodyParserError(thrown);
    if (!error) {
      log.error({ err: thrown, event: 'management-api' }, 'management API request failed');
      res.status(500).json({ error: 'server_error', error_description: 'the request could not be completed' });
      return;
    }
    res.status(error.status).set(error.headers).json({ error: error.error, error_description: error.description });
  };
}

function bodyParserError(thrown: unknown): ApiError | undefined {
  const { status, type } = (thrown ?? {}) as { status?: number; type?: string };
  if (status === 413) return new ApiError(413, 'invalid_request', 'the request body is larger than 10kb');
  if (status === 400 || status === 415 || type === 'entity.parse.failed') return new ApiError(400, 'invalid_request', 'the request body is not valid JSON');
  return undefined;
}
