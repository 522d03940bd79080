// A group's members and admins: add by phone numbers, promote, demote, remove. People in the
// group only through a child group are listed apart; they are managed in that group.
import { useState } from "preact/hooks";
import { api, batch, enc } from "../api/client";
import type { GroupView, Member, MemberChanges } from "../api/types";
import { ErrorText } from "../ui/ErrorText";

interface Props {
  group: GroupView;
  manage: boolean;
  onChanged(): Promise<void>;
}

const who = (m: { name: string; phone: string }) => m.name || m.phone;

export function GroupMembers({ group, manage, onChanged }: Props) {
  const [phones, setPhones] = useState("");
  const [role, setRole] = useState<"member" | "admin">("member");
  const [report, setReport] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/v1/groups/${enc(group.id)}/members`;
  const direct = group.members.filter((m) => !m.inherited);
  const inherited = group.members.filter((m) => m.inherited);

  async function act(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
      await onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function add(e: Event) {
    e.preventDefault();
    const list = phones
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    await act(async () => {
      const r = await batch<MemberChanges>("POST", base, { phones: list, role });
      setReport([
        ...r.added.map((u) => `${who(u)}: added`),
        ...r.already_members.map((u) => `${who(u)}: already a member`),
        ...r.failed.map((f) => `${f.phone}: ${f.error.message}`),
      ]);
      if (r.failed.length === 0) setPhones("");
    });
  }

  const setMemberRole = (m: Member, next: "admin" | "member") => act(() => api("PATCH", `${base}/${enc(m.user_id)}`, { role: next }));
  const remove = (m: Member) => {
    if (confirm(`Remove ${who(m)} from ${group.name}?`)) void act(() => api("DELETE", `${base}/${enc(m.user_id)}`));
  };

  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title">Members and admins</h3>
      {group.members_partial && <p class="hint-inline">You see the admins and yourself only.</p>}
      <ErrorText error={error} />
      <ul class="rows members">
        {direct.map((m) => (
          <li key={m.user_id} data-member={m.phone}>
            <span>
              {who(m)} <span class="muted">{m.name ? m.phone : ""}</span> · <strong>{m.role === "admin" ? "Admin" : "Member"}</strong>
            </span>
            {manage && (
              <span class="row-actions">
                {m.role === "admin" ? (
                  <button type="button" class="link" onClick={() => void setMemberRole(m, "member")} aria-label={`Make ${who(m)} a member`}>
                    Make member
                  </button>
                ) : (
                  <button type="button" class="link" onClick={() => void setMemberRole(m, "admin")} aria-label={`Make ${who(m)} an admin`}>
                    Make admin
                  </button>
                )}
                <button type="button" class="link" onClick={() => remove(m)} aria-label={`Remove ${who(m)}`}>
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {inherited.length > 0 && (
        <details>
          <summary>{inherited.length} more through child groups</summary>
          <ul class="rows">
            {inherited.map((m) => (
              <li key={m.user_id}>{who(m)}</li>
            ))}
          </ul>
        </details>
      )}
      {manage && (
        <form class="panel-form" onSubmit={add}>
          <label for="member-phones">Add people by phone number (comma-separated)</label>
          <input id="member-phones" required value={phones} onInput={(e) => setPhones(e.currentTarget.value)} />
          <label for="member-role">As</label>
          <select id="member-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "member" | "admin")}>
            <option value="member">Members</option>
            <option value="admin">Admins</option>
          </select>
          <button type="submit">Add to group</button>
        </form>
      )}
      {report && (
        <ul class="report" role="status" aria-label="Added">
          {report.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
