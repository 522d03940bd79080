// The action cards the open conversations show, as each viewer may see them: the card itself
// (GET /api/v1/cards/{id}) and, where results are visible to the viewer, everyone's responses.
// `card.updated` from the stream only says that something changed; the card is fetched again,
// at most one fetch in flight per card and one more queued behind it, so a burst of responses
// costs two requests, not one per response.
import { api, enc } from "../../api/client";
import type { CardResponses, CardView } from "../../api/types";
import { Observable } from "../../ui/observable";

export interface CardEntry {
  view: CardView | null;
  responses: CardResponses | null; // null unless the viewer may see results
  error: string | null;
  remindedNow: boolean; // a card.reminder reached this viewer in this session
}

class CardStore extends Observable {
  private entries = new Map<string, CardEntry>();
  private inFlight = new Map<string, Promise<void>>();
  private queued = new Set<string>();

  entry(id: string): CardEntry | undefined {
    return this.entries.get(id);
  }

  // Loads a card the first time a message shows it.
  ensure(id: string) {
    if (!this.entries.has(id) && !this.inFlight.has(id)) void this.refresh(id);
  }

  // Fetches the card again (coalesced: see above).
  refresh(id: string): Promise<void> {
    const running = this.inFlight.get(id);
    if (running) {
      this.queued.add(id);
      return running;
    }
    const run = this.fetch(id).finally(() => {
      this.inFlight.delete(id);
      if (this.queued.delete(id)) void this.refresh(id);
    });
    this.inFlight.set(id, run);
    return run;
  }

  // Stores a view the server returned from an action (respond, close, add items).
  put(view: CardView) {
    const entry = this.slot(view.id);
    entry.view = view;
    entry.error = null;
    this.changed();
  }

  // A stream event about a card: `card.updated` for members, `card.reminder` for the reminded.
  onEvent(type: string, card: { id?: string } | undefined) {
    const id = card?.id;
    if (!id) return;
    if (type === "card.reminder") this.slot(id).remindedNow = true;
    // Only cards someone has on screen (or had) are worth fetching.
    if (this.entries.has(id)) void this.refresh(id);
  }

  // After a reconnect: the cards on screen may have changed meanwhile.
  refreshAll() {
    for (const id of this.entries.keys()) void this.refresh(id);
  }

  private slot(id: string): CardEntry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { view: null, responses: null, error: null, remindedNow: false };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private async fetch(id: string) {
    const entry = this.slot(id);
    try {
      const view = await api<CardView>("GET", `/api/v1/cards/${enc(id)}`);
      const responses = view.summary ? await api<CardResponses>("GET", `/api/v1/cards/${enc(id)}/responses`).catch(() => null) : null;
      entry.view = view;
      entry.responses = responses;
      entry.error = null;
    } catch (e) {
      entry.error = (e as Error).message;
    }
    this.changed();
  }
}

export const cards = new CardStore();
