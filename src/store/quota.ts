/** Storage-full errors, as the browsers name them (Firefox has its own legacy name). */
const QUOTA_ERROR_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  if (typeof name === 'string' && QUOTA_ERROR_NAMES.has(name)) return true;
  // A failed put aborts its transaction; the abort carries the original error as `cause` or `error`.
  const inner = (error as { cause?: unknown; error?: unknown }).cause ?? (error as { error?: unknown }).error;
  return inner !== undefined && inner !== error && isQuotaError(inner);
}
