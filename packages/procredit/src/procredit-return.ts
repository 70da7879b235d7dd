/**
 * The parameters the bank appends to `hppRedirectUrl` when it sends the customer back:
 * `ID`, `STATUS`, `PASSWORD` and, when a card was saved, `TOKENID`.
 *
 * Anyone can type this URL: it is an unauthenticated hint that tells you which order to look at,
 * never a proof of payment. Confirm with the provider's `handleReturn` or `getPayment`.
 */
export interface ProCreditReturnHint {
  orderId: string | undefined;
  /** The status the page claims (`FullyPaid`). The bank itself says it "can be temporary". */
  status: string | undefined;
  password: string | undefined;
  /** The saved card's token id, for card-saving orders. */
  tokenId: string | undefined;
  /** Always `true`: these values come from the browser. */
  untrusted: true;
}

/** What {@link parseProCreditReturn} accepts: a URL, a query string, `URLSearchParams` or a parsed query object. */
export type ProCreditReturnInput =
  | string
  | URL
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads the browser return (`…?ID=1944&STATUS=FullyPaid&PASSWORD=…&TOKENID=…`), parameter names in
 * any letter case, from a full or relative URL, a query string, `URLSearchParams`, or a framework's
 * parsed query object (`req.query`).
 */
export function parseProCreditReturn(input: ProCreditReturnInput): ProCreditReturnHint {
  const values = new Map<string, string>();
  const add = (name: string, value: string | undefined) => {
    const key = name.toLowerCase();
    if (value !== undefined && value !== '' && !values.has(key)) values.set(key, value);
  };
  if (typeof input === 'string' || input instanceof URL) {
    const text = String(input);
    const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text.includes('=') ? text : '';
    for (const [name, value] of new URLSearchParams(query.split('#')[0])) add(name, value);
  } else if (input instanceof URLSearchParams) {
    for (const [name, value] of input) add(name, value);
  } else {
    for (const [name, value] of Object.entries(input)) {
      add(name, typeof value === 'string' ? value : value?.[0]);
    }
  }
  return {
    orderId: values.get('id'),
    status: values.get('status'),
    password: values.get('password'),
    tokenId: values.get('tokenid'),
    untrusted: true,
  };
}
