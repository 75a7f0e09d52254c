/**
 * A lesson's signed media link (GET /api/lessons/:id/media). Links are short-lived: when the media host
 * refuses one (403 for an expired signature, 410 gone), the player asks for a fresh link once; a second
 * refusal is shown as an error rather than looping.
 */
import type { ResponseOf } from "./api-types";

export type MediaLink = ResponseOf<"/api/lessons/{id}/media">;

export function isExpiredLinkStatus(status: number): boolean {
  return status === 403 || status === 410;
}

export class MediaLinkSource {
  private refreshed = false;

  constructor(private readonly fetchLink: () => Promise<MediaLink>) {}

  first(): Promise<MediaLink> {
    this.refreshed = false;
    return this.fetchLink();
  }

  /** A fresh link after the host refused the current one, or null when that already happened once. */
  async refresh(): Promise<MediaLink | null> {
    if (this.refreshed) return null;
    this.refreshed = true;
    return this.fetchLink();
  }
}
