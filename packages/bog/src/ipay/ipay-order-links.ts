import type { IpayCreateOrderResponse, IpayLink } from './ipay-api.js';

/** The order id of a create-order answer: `order_id` as documented, or `id` as BOG's PHP sample reads it. */
export function getIpayOrderId(
  response: Pick<IpayCreateOrderResponse, 'order_id' | 'id'>,
): string | undefined {
  return nonEmpty(response.order_id) ?? nonEmpty(response.id);
}

/** The link with a given `rel` (`approve`: the payment page; `self`: the order details). */
export function getIpayLink(
  response: { links?: readonly IpayLink[] | null | undefined },
  rel: 'approve' | 'self' | (string & {}),
): string | undefined {
  const wanted = rel.toLowerCase();
  const link = response.links?.find((candidate) => candidate.rel?.toLowerCase() === wanted);
  return nonEmpty(link?.href);
}

/** The payment page to redirect the customer to: the `rel: "approve"` link. */
export function getIpayApproveUrl(response: {
  links?: readonly IpayLink[] | null | undefined;
}): string | undefined {
  return getIpayLink(response, 'approve');
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
