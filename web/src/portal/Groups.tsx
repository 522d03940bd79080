// The organization's groups: search, each group's branch of the hierarchy on demand, creating
// one (organization admins), and handing a private group over to the organization.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { HierarchyNode, OrgGroup } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { onLinkClick } from "../ui/router";
import type { PortalOrganization } from "./access";
import { CreateGroup } from "./CreateGroup";
import { loadHierarchy, TreeNode } from "./HierarchyTree";
import { MapPrivateGroup } from "./MapPrivateGroup";

export function Groups({ org }: { org: PortalOrganization }) {
  const [groups, setGroups] = useState<OrgGroup[] | null>(null);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api<{ groups: OrgGroup[] }>("GET", `/api/v1/organizations/${enc(org.id)}/groups`)
      .then((r) => setGroups(r.groups.sort((a, b) => a.name.localeCompare(b.name))))
      .catch((e) => setError((e as Error).message));
  useEffect(() => void load(), [org.id]);

  const q = query.trim().toLowerCase();
  const shown = groups?.filter((g) => !q || g.name.toLowerCase().includes(q)) ?? [];
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <p class="hint-inline">
        {org.orgAdmin ? "Every group the organization owns." : "The organization's groups you are in; you manage those you are an admin of."}
      </p>
      <div class="toolbar">
        <label for="groups-search">Search</label>
        <input id="groups-search" type="search" value={query} placeholder="Group name" onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      <ErrorText error={error} />
      {groups?.length === 0 && <p class="hint">No groups yet.</p>}
      {groups && groups.length > 0 && shown.length === 0 && <p class="hint">No group matches.</p>}
      <ul class="tree group-list" aria-label="Groups">
        {shown.map((g) => (
          <GroupBranch key={g.id} orgId={org.id} group={g} />
        ))}
      </ul>
      {org.orgAdmin && <CreateGroup orgId={org.id} />}
      <MapPrivateGroup orgId={org.id} onMapped={() => void load()} />
    </section>
  );
}

// The list does not say which groups have children; once a branch is loaded, it does.
function typeOf(g: OrgGroup, children: number | null): string | null {
  if (g.type === "public") return g.managed ? "Public (managed)" : "Public";
  return children === null ? null : children > 0 ? "Hierarchical" : "Flat";
}

// A group of the list; expanding it loads its subtree.
function GroupBranch({ orgId, group }: { orgId: string; group: OrgGroup }) {
  const [nodes, setNodes] = useState<HierarchyNode[] | null>(null);
  const [expanded, setExpanded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function toggle() {
    if (!expanded && !nodes) {
      try {
        setNodes((await loadHierarchy(group.id)).subtree);
      } catch (e) {
        setError((e as Error).message);
        return;
      }
    }
    setExpanded(!expanded);
  }
  const children = nodes?.filter((n) => n.parent_id === group.id) ?? [];
  const type = typeOf(group, nodes ? children.length : null);
  return (
    <li data-group={group.id}>
      <span class="tree-row">
        <button type="button" class="toggle" aria-expanded={expanded} aria-label={`${expanded ? "Collapse" : "Expand"} ${group.name}`} onClick={() => void toggle()}>
          {expanded ? "▾" : "▸"}
        </button>
        <a href={`/portal/${encodeURIComponent(orgId)}/groups/${encodeURIComponent(group.id)}`} onClick={onLinkClick}>
          {group.name}
        </a>
        <span class="muted">
          {type && ` · ${type}`}
          {group.owned_since && ` · owned since ${new Date(group.owned_since).toLocaleDateString()}`}
        </span>
      </span>
      {error && <span class="error"> {error}</span>}
      {expanded &&
        (children.length === 0 ? (
          <p class="muted tree-empty">No child groups.</p>
        ) : (
          <ul class="tree">
            {children.map((c) => (
              <TreeNode key={c.id} orgId={orgId} node={c} nodes={nodes!} />
            ))}
          </ul>
        ))}
    </li>
  );
}
