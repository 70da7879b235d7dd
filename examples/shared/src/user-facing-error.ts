/**
 * A mistake the customer or the admin can fix (an amount out of range, a subscription already
 * paid): the pages show its message as it is. Any other error is logged and shown generically.
 */
export class UserFacingError extends Error {}
