import type { ProviderName } from '../create-provider.js';

/** A card typed on a sandbox hosted page. */
export interface TestCard {
  number: string;
  /** The 3-D Secure challenge password, for cards that get one. */
  challengePassword?: string | undefined;
}

/** The sandbox test cards the browser tests use, per gateway (from each emulator's card table). */
export interface GatewayTestCards {
  success: TestCard;
  decline: TestCard;
  /** A card that goes through a 3-D Secure challenge and then succeeds, where the gateway has one. */
  threeDSecure: TestCard | undefined;
  /** A card whose first payment succeeds and whose later merchant-initiated charges fail. */
  renewalsFail: TestCard;
}

/** Test cards per gateway, as the sandbox's hosted pages list them. */
export const GATEWAY_TEST_CARDS: Readonly<Record<ProviderName, GatewayTestCards>> = {
  bog: {
    success: { number: '4000000000000001' },
    decline: { number: '4000000000000002' },
    threeDSecure: { number: '4000000000000004', challengePassword: '1234' },
    renewalsFail: { number: '4000000000000003' },
  },
  ipay: {
    success: { number: '4000000000000001' },
    decline: { number: '4000000000000002' },
    threeDSecure: undefined,
    renewalsFail: { number: '4000000000000003' },
  },
  procredit: {
    success: { number: '4111111111111111' },
    decline: { number: '4000000000000002' },
    threeDSecure: { number: '4000000000003220', challengePassword: 'colchis' },
    renewalsFail: { number: '4000000000000341' },
  },
  ioka: {
    success: { number: '5555555555555599' },
    decline: { number: '4444444411111111' },
    threeDSecure: { number: '4111111111111111', challengePassword: '12345678' },
    renewalsFail: { number: '4000000000000341' },
  },
  stripe: {
    success: { number: '4242424242424242' },
    decline: { number: '4000000000000002' },
    threeDSecure: { number: '4000002500003155', challengePassword: 'ok' },
    // 3-D Secure on every payment: the first passes on the page, off-session renewals cannot.
    renewalsFail: { number: '4000002760003184', challengePassword: 'ok' },
  },
};
