// Handing a private group to one of the viewer's organizations (a group admin signed in to its
// work account). A confirmation says what changes: the organization owns the messages from now
// on, the earlier ones stay private. One way only.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { ConversationView, ProfileOrganization } from "../api/types";
import { chat } from "./store";

function Confirm({ view, org, onClose }: { view: ConversationView; org: ProfileOrganization; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => dialog.current?.showModal(), []);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api("PUT", `/api/v1/groups/${enc(view.id)}/organization`, { organization_id: org.id });
      await Promise.all([chat.refreshConversations(), chat.reloadView(view.id)]);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="add-org-title" onClose={onClose}>
      <h2 id="add-org-title">Add {view.name} to {org.name}?</h2>
      <p>
        From now on, {org.name} owns this group and every message sent in it, and the
        organization's policies apply here. Earlier messages stay private. This cannot be undone.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="link" onClick={onClose}>
          Cancel
        </button>
        <button type="button" disabled={busy} onClick={() => void confirm()}>
          Add to {org.name}
        </button>
      </div>
    </dialog>
  );
}

export function AddToOrganization({ view }: { view: ConversationView }) {
  const [org, setOrg] = useState<ProfileOrganization | null>(null);
  const orgs = chat.me?.organizations ?? [];
  if (!orgs.length) return null;
  return (
    <section aria-labelledby="add-org-section">
      <h3 id="add-org-section">Organization</h3>
      <p class="muted">This group is private. You can hand it to an organization you belong to.</p>
      {orgs.map((o) => (
        <button key={o.id} type="button" class="link" onClick={() => setOrg(o)}>
          Add to {o.name}…
        </button>
      ))}
      {org && <Confirm view={view} org={org} onClose={() => setOrg(null)} />}
    </section>
  );
}
