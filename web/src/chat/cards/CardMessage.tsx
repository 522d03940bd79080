// A card inside its message: title, state (active, closed, expired, with its due time), the
// controls to respond, the results where the server shows them to this viewer, and the
// creator's actions (close, remind, CSV). It shows the card as the message carried it at once,
// then as GET /api/v1/cards/{id} has it, refetched on every `card.updated` (see cardStore).
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, download, enc } from "../../api/client";
import { useObservable } from "../../ui/observable";
import { ErrorText } from "../../ui/ErrorText";
import { MessageExtras } from "../MessageExtras";
import { MessageActions, MessageAttachments, MessageTime, SenderName, type MessageProps } from "../MessageParts";
import { chat } from "../store";
import { cards } from "./cardStore";
import { CardRespond } from "./CardRespond";
import { CardResults } from "./CardResults";
import { TYPE_NAMES, cardTitle, effectiveState, personName, stateText } from "./format";
import "./cards.css";

export function CardMessage(p: MessageProps) {
  useObservable(cards);
  const card = p.message.card!;
  const entry = cards.entry(card.id);
  const view = entry?.view ?? null;
  const shown = view ?? card;
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => cards.ensure(card.id), [card.id]);

  const me = chat.me?.id;
  const creator = shown.created_by === me;
  const admin = chat.threads.get(card.conversation_id)?.view?.my_role === "admin";
  const state = effectiveState(shown);
  const title = cardTitle(shown);

  async function act(what: () => Promise<void>) {
    setError(null);
    setNote(null);
    try {
      await what();
    } catch (e) {
      // reminder_too_soon (429) and every other refusal: the server's own words.
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    }
  }

  return (
    <article
      class={"message card-message" + (p.mine ? " mine" : "")}
      data-seq={p.message.seq}
      data-card={card.id}
      data-state={state}
      aria-label={`${TYPE_NAMES[shown.type]}: ${title}`}
    >
      <SenderName {...p} />
      <header class="card-head">
        <span class="card-type">{TYPE_NAMES[shown.type]}</span>
        <span class={"card-state state-" + state}>{stateText(shown)}</span>
      </header>
      <h3 class="card-title">{title}</h3>
      {shown.spec.text && <p class="text">{shown.spec.text}</p>}
      <MessageAttachments message={p.message} />
      {shown.type === "job" && (
        <p class="card-by">Assigned to {(shown.spec.assignees ?? []).map((id) => personName(shown.conversation_id, id)).join(", ")}</p>
      )}
      {shown.type === "survey" && !view && <p class="card-by">{shown.spec.questions?.length ?? 0} questions</p>}
      {view && !creator && view.can_respond && state === "active" && view.my_responses.length === 0 && (entry?.remindedNow || view.reminded_at) && (
        <p class="notice">{personName(view.conversation_id, view.created_by)} reminded you to respond.</p>
      )}
      {entry?.error && !view && <ErrorText error={entry.error} />}
      {!view && !entry?.error && <p class="card-by">Loading…</p>}
      {view && <CardRespond view={view} onError={setError} />}
      {view && <CardResults view={view} responses={entry?.responses ?? null} />}
      {view && !view.summary && view.type !== "checklist" && <p class="card-by">Results are shown to the sender.</p>}
      <ErrorText error={error} />
      {note && (
        <p class="hint-inline" role="status">
          {note}
        </p>
      )}
      <footer>
        <MessageTime message={p.message} />
      </footer>
      <MessageActions {...p}>
        {(creator || admin) && state === "active" && (
          <button
            type="button"
            class="link"
            onClick={() =>
              void act(async () => {
                if (!confirm("Close this card? Nobody can respond after that.")) return;
                cards.put(await api("POST", `/api/v1/cards/${enc(card.id)}/close`, {}));
                await cards.refresh(card.id);
              })
            }
          >
            Close
          </button>
        )}
        {creator && state === "active" && (
          <button
            type="button"
            class="link"
            onClick={() =>
              void act(async () => {
                const r = await api<{ count: number }>("POST", `/api/v1/cards/${enc(card.id)}/remind`, {});
                setNote(r.count === 0 ? "Everyone has responded: nobody to remind." : `Reminded ${r.count} ${r.count === 1 ? "person" : "people"}.`);
              })
            }
          >
            Remind
          </button>
        )}
        {(creator || admin) && (
          <button type="button" class="link" onClick={() => void act(() => download(`/api/v1/cards/${enc(card.id)}/results.csv`, "results.csv"))}>
            Download results (CSV)
          </button>
        )}
      </MessageActions>
      <MessageExtras message={p.message} />
    </article>
  );
}
