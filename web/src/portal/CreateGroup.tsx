// Creates an organization group: flat, hierarchical (a flat group that gets child groups on its
// page) or public (broadcast; managed ones admit only the people their admins add).
import { useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { MemberChanges, OrgGroup } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";

type Kind = "flat" | "hierarchical" | "public";

export function CreateGroup({ orgId }: { orgId: string }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("flat");
  const [managed, setManaged] = useState(false);
  const [members, setMembers] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    const phones = members
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    try {
      const group = await api<OrgGroup & { members?: MemberChanges }>("POST", `/api/v1/organizations/${enc(orgId)}/groups`, {
        name,
        type: kind === "public" ? "public" : "flat",
        ...(kind === "public" ? { managed } : {}),
        ...(phones.length ? { members: phones } : {}),
      });
      const failed = group.members?.failed ?? [];
      const note = failed.length ? `?failed=${encodeURIComponent(failed.map((f) => `${f.phone}: ${f.error.message}`).join("; "))}` : kind === "hierarchical" ? "?add=children" : "";
      navigate(`/portal/${encodeURIComponent(orgId)}/groups/${encodeURIComponent(group.id)}${note}`);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form class="panel-form" onSubmit={create} aria-labelledby="create-group-title">
      <h3 id="create-group-title">Create a group</h3>
      <label for="new-group-name">Group name</label>
      <input id="new-group-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <fieldset class="choices">
        <legend>Group type</legend>
        <label class="check">
          <input type="radio" name="group-kind" checked={kind === "flat"} onChange={() => setKind("flat")} /> Flat: everyone talks with everyone
        </label>
        <label class="check">
          <input type="radio" name="group-kind" checked={kind === "hierarchical"} onChange={() => setKind("hierarchical")} /> Hierarchical: child groups below it receive what is posted here
        </label>
        <label class="check">
          <input type="radio" name="group-kind" checked={kind === "public"} onChange={() => setKind("public")} /> Public: admins broadcast, subscribers do not see each other
        </label>
        {kind === "public" && (
          <label class="check">
            <input type="checkbox" checked={managed} onChange={(e) => setManaged(e.currentTarget.checked)} /> Managed: only people the admins add, no invite links
          </label>
        )}
      </fieldset>
      <label for="new-group-members">First members' phone numbers (optional, comma-separated)</label>
      <input id="new-group-members" value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
      <button type="submit">Create group</button>
      <ErrorText error={error} />
    </form>
  );
}
