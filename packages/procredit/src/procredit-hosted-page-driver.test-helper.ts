// Drives the sandbox's hosted card page over real HTTP the way a browser would: load the page,
// submit the card form (and a 3-D Secure challenge), and return where the bank sends the
// customer back. Used by the sandbox tests only.

/** The outcome of a hosted-page visit: the URL the browser is sent back to. */
export interface HostedPageVisit {
  returnUrl: string;
  /** Pages seen on the way (HTML), for assertions. */
  pages: string[];
}

/** Pays on the hosted page with `cardNumber`; answers a 3-D Secure challenge with `challengePassword`. */
export async function payOnHostedPage(
  pageUrl: string,
  cardNumber: string,
  options: { challengePassword?: string; cancel?: boolean } = {},
): Promise<HostedPageVisit> {
  const pages: string[] = [];
  const page = await fetch(pageUrl, { redirect: 'manual' });
  const html = await page.text();
  pages.push(html);
  if (page.status !== 200) throw new Error(`hosted page answered ${page.status}: ${html.slice(0, 200)}`);
  if (options.cancel) {
    const cancel = /<form method="post" action="([^"]+)"><button type="submit" id="cancel">/.exec(html);
    if (!cancel?.[1]) throw new Error('no cancel form on the hosted page');
    return {
      returnUrl: await submit(new URL(decodeEntities(cancel[1]), pageUrl).toString(), {}, pages),
      pages,
    };
  }
  const form = readForm(html, 'card-form', pageUrl);
  let next = await post(form.action, {
    ...form.fields,
    card_number: cardNumber,
    expiry: '12/30',
    cvc: '123',
  });
  if (next.status === 200) {
    const challengeHtml = await next.text();
    pages.push(challengeHtml);
    const challenge = readForm(challengeHtml, 'challenge-form', pageUrl);
    next = await post(challenge.action, { ...challenge.fields, password: options.challengePassword ?? '' });
  }
  return { returnUrl: redirectOf(next), pages };
}

async function submit(action: string, fields: Record<string, string>, pages: string[]): Promise<string> {
  const response = await post(action, fields);
  if (response.status === 200) pages.push(await response.text());
  return redirectOf(response);
}

function post(action: string, fields: Record<string, string>): Promise<Response> {
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

function redirectOf(response: Response): string {
  const location = response.headers.get('location');
  if (response.status !== 303 || !location)
    throw new Error(`expected a 303 back to the shop, got ${response.status}`);
  return location;
}

function readForm(
  html: string,
  id: string,
  base: string,
): { action: string; fields: Record<string, string> } {
  const match = new RegExp(`<form method="post" action="([^"]+)" id="${id}">([\\s\\S]*?)</form>`).exec(html);
  if (!match?.[1]) throw new Error(`no form #${id} on the page`);
  const fields: Record<string, string> = {};
  for (const input of (match[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[decodeEntities(input[1] as string)] = decodeEntities(input[2] as string);
  }
  return { action: new URL(decodeEntities(match[1]), base).toString(), fields };
}

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}
