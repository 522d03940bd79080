// Groups to organization mapping: a group admin signed in to the organization's work account
// hands one of their private groups over to it (messages from then on belong to it).
import { useState } from "preact/hooks";
import { api, enc } from "../api/client";
import { chat } from "../chat/store";
import { useObservable } from "../ui/observable";
import { ErrorText } from "../ui/ErrorText";
import { GroupSelect } from "./GroupSelect";

export function MapPrivateGroup({ orgId, onMapped }: { orgId: string; onMapped(): void }) {
  const store = useObservable(chat);
  const mine = store.conversations.filter((c) => c.kind === "group" && c.owner.type === "private" && c.role === "admin");
  const [groupId, setGroupId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  if (mine.length === 0) return null;
  const chosen = groupId || mine[0].id;

  async function map(e: Event) {
    e.preventDefault();
    const group = mine.find((g) => g.id === chosen);
    if (!group || !confirm(`Add "${group.name}" to ${chat.organizationName(orgId)}? Messages from now on belong to the organization. This cannot be undone.`)) return;
    setError(null);
    try {
      await api("PUT", `/api/v1/groups/${enc(chosen)}/organization`, { organization_id: orgId });
      setNote(`"${group.name}" now belongs to ${chat.organizationName(orgId)}.`);
      setGroupId("");
      onMapped();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form class="panel-form" onSubmit={map} aria-labelledby="map-group-title">
      <h3 id="map-group-title">Add one of your private groups</h3>
      <GroupSelect id="map-group" label="Private group you are an admin of" groups={mine} value={chosen} onChange={setGroupId} />
      <button type="submit">Add to organization</button>
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
    </form>
  );
}
