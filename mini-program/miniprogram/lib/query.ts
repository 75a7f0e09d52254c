/**
 * A page's query value as it was meant: navigateTo and share paths carry values percent-encoded, and
 * WeChat hands some over still encoded. A malformed escape yields the raw text rather than an exception.
 */
export function decodeQueryValue(raw: string | undefined): string {
  if (!raw) return "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
