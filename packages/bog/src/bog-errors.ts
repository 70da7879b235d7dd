import {
  AuthenticationError,
  type ColchisError,
  type ErrorContext,
  type ErrorDetails,
  NotFoundError,
} from '@colchis/core';
import { bogErrorBodySchema } from './bog-api.js';

/**
 * Reads message and code from a Bank of Georgia error body. BOG does not document one, so every
 * field public integrations have seen is tried (`message`, Keycloak's `error_description` and
 * `error`, `detail`, `title`).
 */
export function bogErrorDetails(data: unknown): ErrorDetails | undefined {
  if (typeof data === 'string') return { message: data };
  const parsed = bogErrorBodySchema.safeParse(data);
  if (!parsed.success) return undefined;
  const body = parsed.data;
  const pick = (...values: Array<string | number | null | undefined>) => {
    for (const value of values)
      if (value !== undefined && value !== null && value !== '') return String(value);
    return undefined;
  };
  return {
    message: pick(body.message, body.error_description, body.detail, body.title, body.error),
    code: pick(body.code, body.error),
  };
}

/**
 * Bank of Georgia specifics on top of the status-based default:
 * - the token endpoint's 400/401 (Keycloak `invalid_client`, `unauthorized_client`) is a credentials
 *   problem, not a malformed request;
 * - an unknown order id answers 400 "Invalid order_id" (not 404): reported as {@link NotFoundError};
 * - 403 usually means the feature is not activated for the merchant (saved cards, pre-authorization,
 *   a payment method), which the message says.
 */
export function classifyBogError(context: ErrorContext): ColchisError | undefined {
  const { response, data, requestId, operation } = context;
  const status = response.status;
  const details = bogErrorDetails(data) ?? {};
  const says = details.message ? `: ${details.message}` : '';
  const options = { provider: 'bog', statusCode: status, requestId, code: details.code, rawBody: data };
  if (operation === 'getAccessToken' && (status === 400 || status === 401)) {
    return new AuthenticationError(
      `Bank of Georgia refused the client credentials (HTTP ${status}${says}). Check clientId and clientSecret (BOG_CLIENT_ID, BOG_CLIENT_SECRET) and that they belong to the environment you use: sandbox and production credentials differ.`,
      options,
    );
  }
  if ((status === 400 || status === 404) && /order[ _-]?id/i.test(details.message ?? '')) {
    return new NotFoundError(
      `Bank of Georgia knows no such order (${operation}, HTTP ${status}${says}). Check the order id and the environment: sandbox orders do not exist in production.`,
      options,
    );
  }
  if (status === 403) {
    return new AuthenticationError(
      `Bank of Georgia refused ${operation} (HTTP 403${says}). The feature is probably not activated for your merchant (saved cards, automatic payments, pre-authorization, split payments and every payment method need activation by BOG), or the credentials belong to another environment.`,
      options,
    );
  }
  return undefined;
}
