/** Banks whose TXPG deployments Colchis knows. */
export type ProCreditPresetName = 'procredit-ge' | 'kapital' | 'millikart';

/** The bank's test or production environment. */
export type ProCreditEnvironment = 'test' | 'production';

/** How the bank authenticates the merchant. */
export type ProCreditAuthentication = 'client-certificate' | 'basic';

/**
 * How amounts travel: `major-string` is `"10.00"` (every Quipu and Kapital integration);
 * `minor-integer` is `1000` (some Russian deployments of the same protocol).
 */
export type ProCreditAmountFormat = 'major-string' | 'minor-integer';

/**
 * Order types (`typeRid`) the bank configured for the merchant. They differ per bank and per
 * merchant: ask the bank for the exact values and override the preset where they differ.
 */
export interface ProCreditTypeRids {
  /** One-step purchase (SMS): the hosted page takes the money at once. */
  purchase: string;
  /** Two-step purchase (DMS): the hosted page only holds the money until `capture`. */
  preauthorization?: string | undefined;
  /** Purchase that also saves the card; defaults to `purchase`. */
  saveCard?: string | undefined;
  /** Merchant-initiated charge of a saved card, no customer present (Kapital `Order_REC`). */
  recurring?: string | undefined;
}

/** A bank's settings for one environment. Everything here can be overridden in the settings. */
export interface ProCreditPreset {
  preset: ProCreditPresetName;
  environment: ProCreditEnvironment;
  /** The bank's name, for messages. */
  bankName: string;
  /** API base URL, including any path prefix (`/api`). `undefined` when the bank gives it per merchant. */
  baseUrl: string | undefined;
  /** Where `POST /order` goes when the bank uses another host for it (MilliKart's test environment). */
  createOrderBaseUrl?: string | undefined;
  authentication: ProCreditAuthentication;
  typeRids: ProCreditTypeRids;
  amountFormat: ProCreditAmountFormat;
  /** Default hosted-page language. */
  language: string;
}

/**
 * Known deployments, from the integrations collected in the gateway notes:
 *
 * - `procredit-ge`: ProCredit Bank Georgia on Quipu's gateway, mutual TLS only. `typeRid` `"1"` in
 *   test and `"225"` in production (two independent integrations); DMS and card-on-file order
 *   types are configured per merchant, so they are not preset.
 * - `kapital`: Kapital Bank (Azerbaijan), HTTP Basic, from its official Postman documentation.
 * - `millikart`: MilliKart (Azerbaijan), HTTP Basic. The test environment creates orders on
 *   another host than the other operations; the production URL is given by the bank.
 */
export const PROCREDIT_PRESETS: Readonly<
  Record<ProCreditPresetName, Readonly<Record<ProCreditEnvironment, ProCreditPreset>>>
> = {
  'procredit-ge': {
    test: {
      preset: 'procredit-ge',
      environment: 'test',
      bankName: 'ProCredit Bank Georgia',
      baseUrl: 'https://3dss2test.quipu.de:8000',
      authentication: 'client-certificate',
      typeRids: { purchase: '1' },
      amountFormat: 'major-string',
      language: 'en',
    },
    production: {
      preset: 'procredit-ge',
      environment: 'production',
      bankName: 'ProCredit Bank Georgia',
      baseUrl: 'https://3dss2.quipu.de:8443',
      authentication: 'client-certificate',
      typeRids: { purchase: '225' },
      amountFormat: 'major-string',
      language: 'en',
    },
  },
  kapital: {
    test: {
      preset: 'kapital',
      environment: 'test',
      bankName: 'Kapital Bank',
      baseUrl: 'https://txpgtst.kapitalbank.az/api',
      authentication: 'basic',
      typeRids: { purchase: 'Order_SMS', preauthorization: 'Order_DMS', recurring: 'Order_REC' },
      amountFormat: 'major-string',
      language: 'az',
    },
    production: {
      preset: 'kapital',
      environment: 'production',
      bankName: 'Kapital Bank',
      baseUrl: 'https://e-commerce.kapitalbank.az/api',
      authentication: 'basic',
      typeRids: { purchase: 'Order_SMS', preauthorization: 'Order_DMS', recurring: 'Order_REC' },
      amountFormat: 'major-string',
      language: 'az',
    },
  },
  millikart: {
    test: {
      preset: 'millikart',
      environment: 'test',
      bankName: 'MilliKart',
      baseUrl: 'http://test.millikart.az:8000',
      createOrderBaseUrl: 'https://test.millikart.az:8083',
      authentication: 'basic',
      typeRids: { purchase: 'Order_SMS', recurring: 'Order_recurrent' },
      amountFormat: 'major-string',
      language: 'az',
    },
    production: {
      preset: 'millikart',
      environment: 'production',
      bankName: 'MilliKart',
      baseUrl: undefined,
      authentication: 'basic',
      typeRids: { purchase: 'Order_SMS', recurring: 'Order_recurrent' },
      amountFormat: 'major-string',
      language: 'az',
    },
  },
};
