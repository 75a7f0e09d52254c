/**
 * The live feed of one lot over a WebSocket (GET /api/lots/:id/live): every message is the lot's standing.
 * Reconnects with a growing pause while the page is open; the first message after a (re)connect is the
 * current standing, so nothing is missed for long.
 */
export type SocketLike = {
  onMessage(cb: (data: string) => void): void;
  onClose(cb: () => void): void;
  onError(cb: () => void): void;
  close(): void;
};
export type SocketFactory = (url: string) => SocketLike;

export function liveUrl(apiBaseUrl: string, lotId: string): string {
  return `${apiBaseUrl.replace(/^http/, "ws")}/api/lots/${encodeURIComponent(lotId)}/live`;
}

export class LiveFeed {
  private socket: SocketLike | null = null;
  private stopped = false;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly connect: SocketFactory,
    private readonly onStanding: (message: Record<string, unknown>) => void,
    private readonly sleepMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt),
  ) {}

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  private open() {
    const socket = this.connect(this.url);
    this.socket = socket;
    socket.onMessage((data) => {
      this.attempts = 0;
      try {
        const message = JSON.parse(data) as Record<string, unknown>;
        if (message.type === "lot") this.onStanding(message);
      } catch {
        // not a standing (e.g. "pong")
      }
    });
    const retry = () => {
      if (this.stopped || this.socket !== socket) return;
      this.socket = null;
      this.timer = setTimeout(() => this.open(), this.sleepMs(this.attempts++));
    };
    socket.onClose(retry);
    socket.onError(retry);
  }
}
