/** The two Bank of Georgia environments. Each has its own hosts, credentials and callback key. */
export type BogEnvironment = 'production' | 'sandbox';

/** Every {@link BogEnvironment}, for validation and documentation. */
export const BOG_ENVIRONMENT_NAMES: readonly BogEnvironment[] = Object.freeze(['production', 'sandbox']);

/** The hosts of one Bank of Georgia environment. */
export interface BogEnvironmentUrls {
  /** OAuth 2.0 client-credentials token endpoint (a Keycloak realm). */
  tokenUrl: string;
  /** Base of the Payments API v1; endpoint paths such as `/ecommerce/orders` are appended. */
  apiUrl: string;
  /** The hosted payment page; the customer is sent to `?order_id={id}`. */
  paymentPageUrl: string;
}

/**
 * The published hosts. Production is from the official docs; the sandbox hosts are the ones every
 * sandbox-tested public integration uses (BOG does not publish a sandbox page we could find), so
 * each URL can be overridden in the settings.
 */
export const BOG_ENVIRONMENTS: Readonly<Record<BogEnvironment, Readonly<BogEnvironmentUrls>>> = Object.freeze(
  {
    production: Object.freeze({
      tokenUrl: 'https://oauth2.bog.ge/auth/realms/bog/protocol/openid-connect/token',
      apiUrl: 'https://api.bog.ge/payments/v1',
      paymentPageUrl: 'https://payment.bog.ge/',
    }),
    sandbox: Object.freeze({
      tokenUrl: 'https://oauth2-sandbox.bog.ge/auth/realms/bog/protocol/openid-connect/token',
      apiUrl: 'https://api-sandbox.bog.ge/payments/v1',
      paymentPageUrl: 'https://payment-sandbox.bog.ge/',
    }),
  },
);
