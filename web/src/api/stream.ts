// The live event stream (GET /api/v1/stream, see docs/openapi.yaml): opened with a single-use
// ticket, resumed from the caller's cursors after every (re)connect so nothing missed while
// offline is lost, and reopened with a growing back-off when it drops. The page never reloads.
import { api } from "./client";

export type StreamEvent = { type: string; conversation_id?: string; seq?: number; [key: string]: unknown };
export type StreamStatus = "connecting" | "live" | "offline";

export interface StreamHandlers {
  cursors(): Record<string, number>; // the newest seq known per conversation
  event(event: StreamEvent): void;
  resumed(): void; // resume.done: the missed messages have all arrived
  status(status: StreamStatus): void;
}

export class Stream {
  private socket: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly handlers: StreamHandlers) {}

  start() {
    this.closed = false;
    window.addEventListener("offline", this.wentOffline);
    window.addEventListener("online", this.cameOnline);
    void this.open();
  }

  stop() {
    this.closed = true;
    window.removeEventListener("offline", this.wentOffline);
    window.removeEventListener("online", this.cameOnline);
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = null;
  }

  // A socket can outlive the network for a long time before it notices: drop it at once when
  // the browser says it is offline, and reconnect (and resume) as soon as it is back.
  private wentOffline = () => {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.handlers.status("offline");
  };

  private cameOnline = () => {
    if (this.closed || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.retry = 0;
    void this.open();
  };

  private async open() {
    if (this.closed) return;
    this.handlers.status("connecting");
    let ticket: string;
    try {
      ticket = (await api<{ ticket: string }>("POST", "/api/v1/stream/tickets")).ticket;
    } catch {
      return this.reconnectLater();
    }
    if (this.closed || this.socket) return; // stopped, or another open() won the race
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/stream?ticket=${encodeURIComponent(ticket)}`);
    this.socket = socket;
    socket.onmessage = (message) => this.receive(socket, message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.reconnectLater();
    };
  }

  private receive(socket: WebSocket, data: unknown) {
    let frame: StreamEvent;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    if (frame.type === "hello") {
      this.retry = 0;
      socket.send(JSON.stringify({ type: "resume", cursors: this.handlers.cursors() }));
      return;
    }
    if (frame.type === "resume.done") {
      this.handlers.status("live");
      this.handlers.resumed();
      return;
    }
    if (frame.type === "batch" && Array.isArray(frame.events)) {
      for (const inner of frame.events) this.receive(socket, JSON.stringify(inner));
      return;
    }
    this.handlers.event(frame);
  }

  private reconnectLater() {
    this.handlers.status("offline");
    if (this.closed || !navigator.onLine) return; // "online" reopens it
    const delay = Math.min(15_000, 500 * 2 ** this.retry++);
    this.timer = setTimeout(() => void this.open(), delay);
  }
}
