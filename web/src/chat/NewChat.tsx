// Start a 1:1 chat by phone number, privately or as an organization chat; in an organization
// its directory can be searched by name or e-mail alias.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { ChatResult, OrgPerson, PeoplePage } from "../api/types";
import { chat } from "./store";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";
import { useObservable } from "../ui/observable";

export function NewChat() {
  const store = useObservable(chat);
  const [phone, setPhone] = useState("");
  const [org, setOrg] = useState("");
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<OrgPerson[]>([]);
  const [error, setError] = useState<string | null>(null);
  const orgs = store.me?.organizations.filter((o) => o.work_account_linked) ?? [];

  useEffect(() => {
    if (!org || query.trim().length < 2) return setMatches([]);
    const timer = setTimeout(() => {
      api<PeoplePage>("GET", `/api/v1/organizations/${enc(org)}/people?limit=10&q=${enc(query.trim())}`)
        .then((page) => setMatches(page.people.filter((p) => p.user_id !== store.me?.id)))
        .catch((e) => setError((e as Error).message));
    }, 250);
    return () => clearTimeout(timer);
  }, [org, query]);

  async function start(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const body: Record<string, string> = { phone };
      if (org) body.organization_id = org;
      const created = await api<ChatResult>("POST", "/api/v1/chats", body);
      await chat.refreshConversations();
      navigate("/chats/" + encodeURIComponent(created.id));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form class="panel-form" onSubmit={start} aria-labelledby="new-chat-title">
      <h2 id="new-chat-title">New chat</h2>
      {orgs.length > 0 && (
        <>
          <label for="chat-org">Chat as</label>
          <select id="chat-org" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
            <option value="">Private</option>
            {orgs.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </>
      )}
      {org && (
        <>
          <p class="notice" role="note">
            This will be an organization chat: {store.organizationName(org)} owns its messages.
          </p>
          <label for="chat-search">Search the directory</label>
          <input id="chat-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="Name or e-mail" />
          <ul class="matches">
            {matches.map((p) => (
              <li key={p.user_id}>
                <button type="button" class="link" onClick={() => setPhone(p.phone)}>
                  {p.name || p.phone} {p.email && <small>{p.email}</small>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <label for="chat-phone">Phone number</label>
      <input id="chat-phone" type="tel" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
      <button type="submit">Start chat</button>
      <ErrorText error={error} />
    </form>
  );
}
