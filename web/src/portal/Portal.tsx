// The management portal of the organizations the caller administers, or has organization groups
// of (group admins see their groups only). Every screen loads its code when first opened.
import { useEffect } from "preact/hooks";
import { chat } from "../chat/store";
import { match, navigate, onLinkClick } from "../ui/router";
import { useObservable } from "../ui/observable";
import { lazy } from "../ui/lazy";
import { portalOrganizations, sections, type Section } from "./access";

const PeopleList = lazy(() => import("./PeopleList").then((m) => m.PeopleList));
const PersonDetail = lazy(() => import("./PersonDetail").then((m) => m.PersonDetail));
const AddPeople = lazy(() => import("./AddPeople").then((m) => m.AddPeople));
const Attributes = lazy(() => import("./Attributes").then((m) => m.Attributes));
const Imports = lazy(() => import("./Imports").then((m) => m.Imports));
const Exports = lazy(() => import("./Exports").then((m) => m.Exports));
const RemovedPeople = lazy(() => import("./RemovedPeople").then((m) => m.RemovedPeople));
const Groups = lazy(() => import("./Groups").then((m) => m.Groups));
const GroupPage = lazy(() => import("./GroupPage").then((m) => m.GroupPage));
const Reports = lazy(() => import("./Reports").then((m) => m.Reports));
const TenantPolicies = lazy(() => import("./TenantPolicies").then((m) => m.TenantPolicies));

const LABELS: Record<Section, string> = {
  people: "People",
  "add-people": "Add people",
  attributes: "Attributes",
  imports: "Bulk upload",
  exports: "Exports",
  removed: "Removed people",
  groups: "Groups",
  reports: "Reports",
  policies: "Policies",
};

export function Portal({ path }: { path: string }) {
  const store = useObservable(chat);
  const orgs = portalOrganizations(store.me, store.conversations);
  const orgId = path.split("/")[2];
  useEffect(() => {
    if (!orgId && orgs.length > 0) navigate(`/portal/${encodeURIComponent(orgs[0].id)}/${sections(orgs[0])[0]}`, true);
  }, [orgId, orgs.length]);
  if (!store.me) return <p class="hint">Loading…</p>;
  if (orgs.length === 0) return <p class="hint">You administer no organization or organization group.</p>;
  const org = orgs.find((o) => o.id === orgId);
  if (!org) return <p class="hint">Choose an organization.</p>;
  const allowed = sections(org);
  const base = `/portal/${encodeURIComponent(org.id)}`;
  const person = match("/portal/:org/people/:user", path);
  const group = match("/portal/:org/groups/:group", path);
  const asked = (path.split("/")[3] ?? allowed[0]) as Section;
  const section = allowed.includes(asked) ? asked : allowed[0];
  const tab = (name: Section) => (
    <a href={`${base}/${name}`} onClick={onLinkClick} aria-current={section === name ? "page" : undefined} key={name}>
      {LABELS[name]}
    </a>
  );
  return (
    <div class="portal">
      <header class="portal-header">
        <h1>{org.name}</h1>
        {orgs.length > 1 && (
          <nav aria-label="Organizations" class="org-switch">
            {orgs.map((o) => (
              <a href={`/portal/${encodeURIComponent(o.id)}`} onClick={onLinkClick} aria-current={o.id === org.id ? "true" : undefined} key={o.id}>
                {o.name}
              </a>
            ))}
          </nav>
        )}
        <nav aria-label="Portal">{allowed.map(tab)}</nav>
      </header>
      <main>
        {person && org.orgAdmin ? (
          <PersonDetail orgId={org.id} userId={person.user} />
        ) : group ? (
          <GroupPage org={org} groupId={group.group} />
        ) : section === "add-people" ? (
          <AddPeople orgId={org.id} />
        ) : section === "attributes" ? (
          <Attributes orgId={org.id} />
        ) : section === "imports" ? (
          <Imports orgId={org.id} />
        ) : section === "exports" ? (
          <Exports org={org} />
        ) : section === "removed" ? (
          <RemovedPeople orgId={org.id} />
        ) : section === "groups" ? (
          <Groups org={org} />
        ) : section === "reports" ? (
          <Reports org={org} />
        ) : section === "policies" ? (
          <TenantPolicies orgId={org.id} />
        ) : (
          <PeopleList orgId={org.id} />
        )}
      </main>
    </div>
  );
}
