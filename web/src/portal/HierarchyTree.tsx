// Group hierarchies as trees you expand a level at a time, from GET /groups/{id}/hierarchy
// (the group's ancestors and its whole subtree, every parent before its children).
import { useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { GroupHierarchy, HierarchyNode } from "../api/types";
import { onLinkClick } from "../ui/router";

export function loadHierarchy(groupId: string): Promise<GroupHierarchy> {
  return api<GroupHierarchy>("GET", `/api/v1/groups/${enc(groupId)}/hierarchy`);
}

const groupHref = (orgId: string, id: string) => `/portal/${encodeURIComponent(orgId)}/groups/${encodeURIComponent(id)}`;

function counts(n: HierarchyNode) {
  return `${n.direct_members} direct${n.inherited_members ? `, ${n.inherited_members} through child groups` : ""}`;
}

// One node and, once expanded, its children (all already in `nodes`).
export function TreeNode({ orgId, node, nodes, open = false, current }: { orgId: string; node: HierarchyNode; nodes: HierarchyNode[]; open?: boolean; current?: string }) {
  const [expanded, setExpanded] = useState(open);
  const children = nodes.filter((n) => n.parent_id === node.id);
  return (
    <li data-group={node.id}>
      <span class="tree-row">
        {children.length > 0 ? (
          <button type="button" class="toggle" aria-expanded={expanded} aria-label={`${expanded ? "Collapse" : "Expand"} ${node.name}`} onClick={() => setExpanded(!expanded)}>
            {expanded ? "▾" : "▸"}
          </button>
        ) : (
          <span class="toggle" aria-hidden="true">
            •
          </span>
        )}
        {node.id === current ? (
          <strong aria-current="page">{node.name}</strong>
        ) : (
          <a href={groupHref(orgId, node.id)} onClick={onLinkClick}>
            {node.name}
          </a>
        )}
        <span class="muted"> · {counts(node)}</span>
      </span>
      {expanded && children.length > 0 && (
        <ul class="tree">
          {children.map((c) => (
            <TreeNode key={c.id} orgId={orgId} node={c} nodes={nodes} current={current} />
          ))}
        </ul>
      )}
    </li>
  );
}

// A group's place in its tree: from the root down to it (expanded), and its children below.
export function HierarchyTree({ orgId, hierarchy }: { orgId: string; hierarchy: GroupHierarchy }) {
  const self = hierarchy.subtree[0];
  if (!self) return null;
  // Ancestors are a single path, each the parent of the next; the group hangs below the last.
  const path = [...hierarchy.ancestors, ...hierarchy.subtree];
  const root = path[0];
  return (
    <ul class="tree" aria-label="Hierarchy">
      <PathNode orgId={orgId} path={path} node={root} current={self.id} ancestors={hierarchy.ancestors.map((a) => a.id)} />
    </ul>
  );
}

function PathNode({ orgId, path, node, current, ancestors }: { orgId: string; path: HierarchyNode[]; node: HierarchyNode; current: string; ancestors: string[] }) {
  // Ancestors show only the branch leading to the group; from the group down, the whole subtree.
  if (ancestors.includes(node.id)) {
    const next = path.find((n) => n.parent_id === node.id && (ancestors.includes(n.id) || n.id === current))!;
    return (
      <li data-group={node.id}>
        <span class="tree-row">
          <span class="toggle" aria-hidden="true">
            ▾
          </span>
          <a href={groupHref(orgId, node.id)} onClick={onLinkClick}>
            {node.name}
          </a>
          <span class="muted"> · {counts(node)}</span>
        </span>
        <ul class="tree">
          <PathNode orgId={orgId} path={path} node={next} current={current} ancestors={ancestors} />
        </ul>
      </li>
    );
  }
  return <TreeNode orgId={orgId} node={node} nodes={path} open current={current} />;
}
