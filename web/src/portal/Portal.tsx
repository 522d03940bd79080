// The management portal of the organizations the caller administers.
import { useEffect } from "preact/hooks";
import { chat } from "../chat/store";
import { match, navigate, onLinkClick } from "../ui/router";
import { useObservable } from "../ui/observable";
import { PeopleList } from "./PeopleList";
import { PersonDetail } from "./PersonDetail";
import { Imports } from "./Imports";
import { RemovedPeople } from "./RemovedPeople";

export function Portal({ path }: { path: string }) {
  const store = useObservable(chat);
  const orgs = store.me?.organizations.filter((o) => o.role === "admin") ?? [];
  const orgId = path.split("/")[2];
  useEffect(() => {
    if (!orgId && orgs.length > 0) navigate(`/portal/${encodeURIComponent(orgs[0].id)}/people`, true);
  }, [orgId, orgs.length]);
  if (!store.me) return <p class="hint">Loading…</p>;
  if (orgs.length === 0) return <p class="hint">You administer no organization.</p>;
  const org = orgs.find((o) => o.id === orgId);
  if (!org) return <p class="hint">Choose an organization.</p>;
  const base = `/portal/${encodeURIComponent(org.id)}`;
  const person = match("/portal/:org/people/:user", path);
  const section = path.split("/")[3] ?? "people";
  const tab = (name: string, label: string) => (
    <a href={`${base}/${name}`} onClick={onLinkClick} aria-current={section === name ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <div class="portal">
      <header class="portal-header">
        <h1>{org.name}</h1>
        <nav aria-label="Portal">
          {tab("people", "People")}
          {tab("imports", "Bulk upload")}
          {tab("removed", "Removed people")}
        </nav>
      </header>
      <main>
        {person ? (
          <PersonDetail orgId={org.id} userId={person.user} />
        ) : section === "imports" ? (
          <Imports orgId={org.id} />
        ) : section === "removed" ? (
          <RemovedPeople orgId={org.id} />
        ) : (
          <PeopleList orgId={org.id} />
        )}
      </main>
    </div>
  );
}
