/** How a plan bills. */
export type PlanKind =
  /** A price per period, renewed on the saved card until canceled. */
  | 'subscription'
  /** A deposit at checkout, then a fixed number of charges on the saved card. */
  | 'installments'
  /** One payment for a fixed period (a year) that expires unless bought again; no saved card. */
  | 'licence';

/** A billing interval. */
export interface BillingInterval {
  unit: 'month' | 'year';
  count: number;
}

/** A plan in the catalog. Amounts are integer minor units per currency. */
export interface Plan {
  id: string;
  name: string;
  summary: string;
  kind: PlanKind;
  /** Subscription: the price per period. Installments: each installment. Licence: the price per period. */
  prices: Readonly<Record<string, number>>;
  /** Installments only: what checkout charges (and the card is saved with). */
  deposits?: Readonly<Record<string, number>> | undefined;
  /** Installments only: how many charges follow the deposit. */
  installments?: number | undefined;
  interval: BillingInterval;
}

/** The catalog. */
export const PLANS: readonly Plan[] = [
  {
    id: 'starter-monthly',
    name: 'Starter',
    summary: 'Helpdesk for a small team. Billed monthly on your saved card; cancel any time.',
    kind: 'subscription',
    prices: { GEL: 2900, KZT: 490000, USD: 1100 },
    interval: { unit: 'month', count: 1 },
  },
  {
    id: 'bootcamp-installments',
    name: 'Bootcamp in installments',
    summary: 'A deposit today, then three monthly installments of the same amount on the same card.',
    kind: 'installments',
    prices: { GEL: 10000, KZT: 1700000, USD: 3800 },
    // The deposit equals an installment on purpose: Bank of Georgia's automatic charges always
    // repeat the amount of the payment that saved the card.
    deposits: { GEL: 10000, KZT: 1700000, USD: 3800 },
    installments: 3,
    interval: { unit: 'month', count: 1 },
  },
  {
    id: 'team-licence',
    name: 'Team licence (1 year)',
    summary: 'One payment, valid for a year. Renew when it runs out; no card is kept.',
    kind: 'licence',
    prices: { GEL: 29000, KZT: 4900000, USD: 11000 },
    interval: { unit: 'year', count: 1 },
  },
];

/** The plan with this id, if any. */
export function findPlan(id: string): Plan | undefined {
  return PLANS.find((plan) => plan.id === id);
}

/** The recurring amount in `currency`. */
export function recurringPrice(plan: Plan, currency: string): number {
  const price = plan.prices[currency];
  if (price === undefined) throw new Error(`Plan ${plan.id} has no price in ${currency}.`);
  return price;
}

/** What checkout charges: the deposit for installment plans, otherwise the first period. */
export function checkoutPrice(plan: Plan, currency: string): number {
  if (plan.kind === 'installments') {
    const deposit = plan.deposits?.[currency];
    if (deposit === undefined) throw new Error(`Plan ${plan.id} has no deposit in ${currency}.`);
    return deposit;
  }
  return recurringPrice(plan, currency);
}
