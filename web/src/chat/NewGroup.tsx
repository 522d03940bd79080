// Create a group: a name and the first members' phone numbers; privately owned, or owned by
// an organization the caller administers.
import { useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { Conversation } from "../api/types";
import { chat } from "./store";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";
import { useObservable } from "../ui/observable";

export function NewGroup() {
  const store = useObservable(chat);
  const [name, setName] = useState("");
  const [phones, setPhones] = useState("");
  const [org, setOrg] = useState("");
  const [error, setError] = useState<string | null>(null);
  const adminOf = store.me?.organizations.filter((o) => o.role === "admin") ?? [];

  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    const members = phones
      .split(/[,\n;]/)
      .map((p) => p.trim())
      .filter(Boolean);
    try {
      const path = org ? `/api/v1/organizations/${enc(org)}/groups` : "/api/v1/groups";
      const group = await api<Conversation>("POST", path, { name, members });
      await chat.refreshConversations();
      navigate("/chats/" + encodeURIComponent(group.id));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form class="panel-form" onSubmit={create} aria-labelledby="new-group-title">
      <h2 id="new-group-title">New group</h2>
      <label for="group-name">Group name</label>
      <input id="group-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="group-members">Members' phone numbers</label>
      <textarea id="group-members" rows={3} value={phones} onInput={(e) => setPhones(e.currentTarget.value)} placeholder="+65 9123 4567, +65 9123 4568" />
      {adminOf.length > 0 && (
        <>
          <label for="group-owner">Owner</label>
          <select id="group-owner" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
            <option value="">Private group</option>
            {adminOf.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          {org && <p class="notice">{store.organizationName(org)} will own this group and its messages.</p>}
        </>
      )}
      <button type="submit">Create group</button>
      <ErrorText error={error} />
    </form>
  );
}
