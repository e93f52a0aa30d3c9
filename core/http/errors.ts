/**
 * Every error code the API answers with, in one registry, with its HTTP status.
 * The UI translates these codes; their names are part of the API contract.
 */
export const errorCodes = {
  invalid_request: 400,
  weak_password: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  challenge: 401,
  forbidden: 403,
  csrf_failed: 403,
  policy_denied: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  locked: 429,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An error a handler throws to answer with a stable code; `extra` fields join the JSON body. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): (typeof errorCodes)[ErrorCode] {
    return errorCodes[this.code];
  }
}
