// The composer's "New card" menu. The creation forms are loaded only when a type is picked
// (dynamic import), so the first screen does not carry them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import type { CardType } from "../../api/types";
import { ErrorText } from "../../ui/ErrorText";
import { TYPE_NAMES } from "./format";

type FormProps = { conversationId: string; type: CardType; onDone(): void; onCancel(): void };
let loadedForm: ComponentType<FormProps> | null = null;

const TYPES: CardType[] = ["poll", "survey", "announcement", "job", "checklist"];

export function NewCardMenu({ conversationId }: { conversationId: string }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [type, setType] = useState<CardType | null>(null);
  const [Form, setForm] = useState<ComponentType<FormProps> | null>(() => loadedForm);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (type && !dialog.current?.open) dialog.current?.showModal();
    if (!type && dialog.current?.open) dialog.current.close();
  }, [type]);

  useEffect(() => {
    if (menuOpen) menu.current?.querySelector("button")?.focus();
  }, [menuOpen]);

  async function pick(t: CardType) {
    setMenuOpen(false);
    setError(null);
    if (!loadedForm) {
      try {
        loadedForm = (await import("./CardForm")).CardForm;
      } catch {
        setError("The card forms could not be loaded. Check your connection and try again.");
        return;
      }
      setForm(() => loadedForm);
    }
    setType(t);
  }

  return (
    <div class="new-card">
      <button type="button" class="link" aria-haspopup="true" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
        New card
      </button>
      {menuOpen && (
        <div
          class="new-card-menu"
          ref={menu}
          role="group"
          aria-label="Card types"
          onKeyDown={(e) => {
            if (e.key === "Escape") setMenuOpen(false);
          }}
        >
          {TYPES.map((t) => (
            <button type="button" key={t} onClick={() => void pick(t)}>
              {TYPE_NAMES[t]}
            </button>
          ))}
        </div>
      )}
      <ErrorText error={error} />
      <dialog ref={dialog} class="card-dialog" onClose={() => setType(null)}>
        {type && Form && <Form key={type} conversationId={conversationId} type={type} onDone={() => setType(null)} onCancel={() => setType(null)} />}
      </dialog>
    </div>
  );
}
