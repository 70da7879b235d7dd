import type { Page } from 'playwright-core';
import type { TestCard } from './gateway-cards.js';

/** Where the customer ended up after submitting a card. */
export type HostedPageResult = 'back-at-app' | 'still-on-gateway';

/**
 * Plays the customer on a sandbox hosted page: types the card, pays, answers a 3-D Secure
 * challenge, follows a "return to the merchant" link. Every sandbox page uses the same field
 * ids (`#card-number`, `#pay`, `#acs-password`, `#confirm`, `#continue`).
 */
export async function payOnHostedPage(page: Page, appUrl: string, card: TestCard): Promise<HostedPageResult> {
  await page.waitForSelector('#pay');
  // Expiry and CVC come pre-filled, with an expiry decades ahead of the sandbox clock.
  if (await page.$('#card-number')) await page.fill('#card-number', card.number);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#pay')]);
  for (let step = 0; step < 4; step++) {
    if (page.url().startsWith(appUrl)) return 'back-at-app';
    if (await page.$('#acs-password')) {
      await page.fill('#acs-password', card.challengePassword ?? '');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#confirm')]);
      continue;
    }
    if (await page.$('#continue')) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#continue')]);
      continue;
    }
    return 'still-on-gateway';
  }
  return page.url().startsWith(appUrl) ? 'back-at-app' : 'still-on-gateway';
}
