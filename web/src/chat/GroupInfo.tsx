// The info panel of a conversation. A group: its owner, policies in force, members with their
// admins, and what the viewer may do there (add and remove members, make and unmake admins,
// invite links, add a private group to an organization, leave). A 1:1 chat: the other person.
// The server decides every action; the panel offers what the viewer's role suggests it allows
// and shows the server's message when it refuses.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import { session } from "../api/session";
import type { ConversationView, Member, Policies, User } from "../api/types";
import { chat } from "./store";
import { InviteLinks } from "./InviteLinks";
import { AddToOrganization } from "./AddToOrganization";
import { OrgMark } from "../ui/OrgMark";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";
import { useObservable } from "../ui/observable";

const POLICY_TEXT: [keyof Policies, string, string][] = [
  ["restrict_copy", "Copying messages is restricted", "Copying messages is allowed"],
  ["restrict_share", "Sharing out of Parley is restricted", "Sharing out of Parley is allowed"],
  ["restrict_forward", "Forwarding messages is restricted", "Forwarding messages is allowed"],
  ["new_members_see_history", "New members see earlier messages", "New members see messages from when they join"],
  ["delete_for_everyone", "Messages can be deleted for everyone", "Nobody can delete messages for everyone"],
  ["invite_links", "Invite links are allowed", "Invite links are turned off"],
  ["require_work_account", "Members must sign in to the work account", "No work account needed"],
];

// Membership policies say nothing about a 1:1 chat.
const GROUP_ONLY: (keyof Policies)[] = ["new_members_see_history", "invite_links"];

function PolicyList({ policies, chat }: { policies: Policies; chat: boolean }) {
  return (
    <section aria-labelledby="policies-title">
      <h3 id="policies-title">Policies</h3>
      <ul class="policies">
        {POLICY_TEXT.filter(([key]) => policies[key] !== undefined && !(chat && GROUP_ONLY.includes(key))).map(([key, on, off]) => (
          <li key={key} data-policy={key} data-on={String(policies[key])}>
            {policies[key] ? on : off}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PersonInfo({ peer }: { peer?: User }) {
  if (!peer) return null;
  return (
    <dl class="details">
      <dt>Name</dt>
      <dd>{peer.name || "—"}</dd>
      <dt>Phone</dt>
      <dd>{peer.phone}</dd>
    </dl>
  );
}

// Adding people answers per number; a 422 where all failed carries the same shape.
interface MemberChanges {
  added: User[];
  already_members: User[];
  failed: { phone: string; error: { message: string } }[];
}

async function addMembers(groupId: string, phones: string[]): Promise<MemberChanges> {
  const response = await fetch(`/api/v1/groups/${enc(groupId)}/members`, {
    method: "POST",
    headers: { Authorization: "Bearer " + session.token(), "Content-Type": "application/json" },
    body: JSON.stringify({ phones }),
  });
  const body = await response.json().catch(() => ({}));
  if (body?.error) throw new Error(body.error.message);
  if (!Array.isArray(body?.failed)) throw new Error(`The server answered ${response.status}.`);
  return body as MemberChanges;
}

function AddMembers({ groupId, onDone }: { groupId: string; onDone(): void }) {
  const [phones, setPhones] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setResult(null);
    const list = phones.split(/[,\n;]/).map((p) => p.trim()).filter(Boolean);
    if (!list.length) return;
    try {
      const changes = await addMembers(groupId, list);
      const parts = [];
      if (changes.added.length) parts.push(`Added ${changes.added.map((u) => u.name || u.phone).join(", ")}.`);
      if (changes.already_members.length) parts.push(`Already members: ${changes.already_members.map((u) => u.name || u.phone).join(", ")}.`);
      for (const f of changes.failed) parts.push(`${f.phone}: ${f.error.message}`);
      setResult(parts.join(" "));
      if (changes.added.length) setPhones("");
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form class="inline-form" onSubmit={submit}>
      <label for="add-members">Add members (phone numbers)</label>
      <input id="add-members" value={phones} placeholder="+65 9123 4567, +65 9123 4568" onInput={(e) => setPhones(e.currentTarget.value)} />
      <button type="submit" disabled={!phones.trim()}>
        Add
      </button>
      {result && <p role="status">{result}</p>}
      <ErrorText error={error} />
    </form>
  );
}

interface RowProps {
  m: Member;
  groupId: string;
  me: boolean;
  manage: boolean;
  run(action: () => Promise<unknown>): void;
}

function MemberRow({ m, groupId, me, manage, run }: RowProps) {
  const base = `/api/v1/groups/${enc(groupId)}/members/${enc(m.user_id)}`;
  return (
    <li class="member" data-member={m.user_id}>
      <span>
        {m.name || m.phone}
        {me && " (you)"}
        {m.role === "admin" && <span class="badge">Admin</span>}
        {m.inherited && <span class="badge muted-badge">Through a child group</span>}
      </span>
      {manage && !me && !m.inherited && (
        <span class="member-actions">
          <button type="button" class="link" onClick={() => run(() => api("PATCH", base, { role: m.role === "admin" ? "member" : "admin" }))}>
            {m.role === "admin" ? "Remove admin" : "Make admin"}
          </button>
          <button
            type="button"
            class="link"
            onClick={() => {
              if (confirm(`Remove ${m.name || m.phone} from the group?`)) run(() => api("DELETE", base));
            }}
          >
            Remove
          </button>
        </span>
      )}
    </li>
  );
}

function Leave({ view }: { view: ConversationView }) {
  const [successor, setSuccessor] = useState("");
  const [asking, setAsking] = useState(false); // the last admin names a successor first
  const [error, setError] = useState<string | null>(null);
  const myId = chat.me?.id;
  const admins = view.members.filter((m) => m.role === "admin" && !m.inherited);
  const others = view.members.filter((m) => m.user_id !== myId && !m.inherited);
  const needsSuccessor = view.my_role === "admin" && admins.length === 1 && admins[0].user_id === myId && others.length > 0;
  async function leave() {
    if (needsSuccessor && !asking) return setAsking(true);
    if (needsSuccessor && !successor) return setError("Choose who becomes admin when you leave.");
    if (!confirm(`Leave ${view.name}?`)) return;
    try {
      const query = needsSuccessor ? `?successor=${enc(successor)}` : "";
      await api("DELETE", `/api/v1/groups/${enc(view.id)}/members/me${query}`);
      await chat.refreshConversations();
      navigate("/chats", true);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  if (!view.my_role) return null;
  return (
    <section class="leave">
      {needsSuccessor && asking && (
        <>
          <label for="successor">You are the only admin. Who becomes admin?</label>
          <select id="successor" value={successor} onChange={(e) => setSuccessor(e.currentTarget.value)}>
            <option value="">Choose a member</option>
            {others.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name || m.phone}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="button" class="danger" onClick={() => void leave()}>
        Leave group
      </button>
      <ErrorText error={error} />
    </section>
  );
}

export function GroupInfo({ id, onClose }: { id: string; onClose(): void }) {
  const store = useObservable(chat);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void store.reloadView(id), [id]);
  const summary = store.conversation(id);
  const view = store.threads.get(id)?.view;
  if (!summary || !view) return <p class="hint">Loading…</p>;

  const orgId = view.owner.type === "organization" ? view.owner.organization_id : null;
  const orgAdmin = !!orgId && store.me?.organizations.some((o) => o.id === orgId && o.role === "admin");
  const manage = view.my_role === "admin" || !!orgAdmin;
  const policies = view.policies ?? summary.policies;
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action()
      .then(() => store.reloadView(id))
      .catch((e) => setError((e as Error).message));
  };

  return (
    <section class="info-panel" aria-label={summary.kind === "chat" ? "Contact info" : "Group info"}>
      <div class="info-head">
        <h3>{summary.kind === "chat" ? "Contact info" : "Group info"}</h3>
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </div>
      <p class="owner-line">
        {orgId ? (
          <>
            <OrgMark name={view.organization?.name ?? store.organizationName(orgId)} /> Owned by {view.organization?.name ?? store.organizationName(orgId)}
          </>
        ) : summary.kind === "chat" ? (
          "Private chat"
        ) : (
          "Private group"
        )}
        {view.type === "public" && " · Public group"}
      </p>
      {summary.kind === "chat" ? (
        <PersonInfo peer={summary.peer} />
      ) : (
        <>
          <section aria-labelledby="members-title">
            <h3 id="members-title">
              Members ({view.member_count}){view.members_partial && " — admins shown"}
            </h3>
            <ul class="members-list">
              {view.members.map((m) => (
                <MemberRow key={m.user_id} m={m} groupId={id} me={m.user_id === store.me?.id} manage={manage} run={run} />
              ))}
            </ul>
            <ErrorText error={error} />
            {manage && <AddMembers groupId={id} onDone={() => void store.reloadView(id)} />}
          </section>
          {manage && !view.managed && policies?.invite_links !== false && <InviteLinks groupId={id} groupName={view.name} />}
          {!orgId && view.my_role === "admin" && <AddToOrganization view={view} />}
        </>
      )}
      {policies && <PolicyList policies={policies} chat={summary.kind === "chat"} />}
      {summary.kind === "group" && <Leave view={view} />}
    </section>
  );
}
