/** A course in the academy's catalog. */
export interface Course {
  id: string;
  title: string;
  summary: string;
  /** Price in integer minor units per currency (tetri, tiyn, cents). */
  prices: Readonly<Record<string, number>>;
  /**
   * `manual`: the card is only authorized at enrollment and charged when the course starts (the
   * admin captures or releases it). Used only when the gateway supports manual capture.
   */
  capture: 'automatic' | 'manual';
}

/** The catalog. Prices are minor units: 15000 GEL minor units is 150.00 GEL. */
export const COURSES: readonly Course[] = [
  {
    id: 'typescript-payments',
    title: 'TypeScript for Payment Engineers',
    summary: 'Eight self-paced lessons: money as integers, idempotency, webhooks, reconciliation.',
    prices: { GEL: 15000, KZT: 2500000, USD: 5900 },
    capture: 'automatic',
  },
  {
    id: 'webhooks-workshop',
    title: 'Secure Webhooks Workshop (live)',
    summary: 'A live one-day workshop. Your card is authorized now and charged on the day.',
    prices: { GEL: 9000, KZT: 1500000, USD: 3500 },
    capture: 'manual',
  },
  {
    id: 'georgian-calligraphy',
    title: 'Georgian Calligraphy: Mkhedruli',
    summary: 'Thirty-three letters, one brush. Video lessons with downloadable worksheets.',
    prices: { GEL: 4500, KZT: 750000, USD: 1700 },
    capture: 'automatic',
  },
];

/** The course with this id, if any. */
export function findCourse(id: string): Course | undefined {
  return COURSES.find((course) => course.id === id);
}

/** The course's price in `currency` (every course is priced in every supported currency). */
export function priceOf(course: Course, currency: string): number {
  const price = course.prices[currency];
  if (price === undefined) throw new Error(`Course ${course.id} has no price in ${currency}.`);
  return price;
}
