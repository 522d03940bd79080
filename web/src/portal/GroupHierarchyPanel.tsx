// A group's place in the organization's hierarchy: the tree around it, and setting or removing
// its parent or adding a child group. The server refuses cycles (`hierarchy_cycle`) and a second
// parent; its message is shown as it is.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { GroupHierarchy, GroupView, OrgGroup } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import type { PortalOrganization } from "./access";
import { HierarchyTree, loadHierarchy } from "./HierarchyTree";

interface Props {
  org: PortalOrganization;
  group: GroupView;
  manage: boolean;
  onChanged(): Promise<void>;
}

export function GroupHierarchyPanel({ org, group, manage, onChanged }: Props) {
  const [tree, setTree] = useState<GroupHierarchy | null>(null);
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const [parent, setParent] = useState("");
  const [child, setChild] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const reload = () =>
    loadHierarchy(group.id)
      .then(setTree)
      .catch((e) => setError((e as Error).message));
  useEffect(() => {
    void reload();
    if (!manage) return;
    api<{ groups: OrgGroup[] }>("GET", `/api/v1/organizations/${enc(org.id)}/groups`)
      .then((r) => {
        // Linking needs an organization admin, or an admin of both groups.
        const others = r.groups.filter((g) => g.id !== group.id && (org.orgAdmin || org.adminGroups.includes(g.id)));
        setGroups(others.sort((a, b) => a.name.localeCompare(b.name)));
      })
      .catch((e) => setError((e as Error).message));
  }, [group.id, group.hierarchy?.parent_id, group.hierarchy?.children]);

  async function change(run: () => Promise<unknown>, done: string) {
    setError(null);
    setNote(null);
    try {
      await run();
      setNote(done);
      await Promise.all([onChanged(), reload()]);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const parentNode = tree?.ancestors[tree.ancestors.length - 1];
  const name = (id: string) => groups.find((g) => g.id === id)?.name ?? "the group";
  const parentChoice = parent || groups[0]?.id || "";
  const childChoice = child || groups[0]?.id || "";
  const askChildren = new URLSearchParams(location.search).get("add") === "children";
  return (
    <section aria-labelledby="hierarchy-title">
      <h3 id="hierarchy-title">Hierarchy</h3>
      {askChildren && !group.hierarchy?.hierarchical && <p class="notice">A hierarchical group: add its child groups below.</p>}
      {tree && <HierarchyTree orgId={org.id} hierarchy={tree} />}
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
      {manage && (
        <div class="hierarchy-actions">
          {parentNode ? (
            <p>
              Parent group: {parentNode.name}{" "}
              <button type="button" onClick={() => void change(() => api("DELETE", `/api/v1/groups/${enc(group.id)}/parent`), `${group.name} is no longer below ${parentNode.name}.`)}>
                Remove from parent
              </button>
            </p>
          ) : (
            groups.length > 0 && (
              <form
                class="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void change(() => api("PUT", `/api/v1/groups/${enc(group.id)}/parent`, { parent_id: parentChoice }), `${group.name} is now below ${name(parentChoice)}.`);
                }}
              >
                <label for="parent-group">Parent group</label>
                <select id="parent-group" value={parentChoice} onChange={(e) => setParent(e.currentTarget.value)}>
                  {groups.map((g) => (
                    <option value={g.id} key={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
                <button type="submit">Set parent</button>
              </form>
            )
          )}
          {groups.length > 0 && (
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void change(() => api("PUT", `/api/v1/groups/${enc(childChoice)}/parent`, { parent_id: group.id }), `${name(childChoice)} is now below ${group.name}.`);
              }}
            >
              <label for="child-group">Child group</label>
              <select id="child-group" value={childChoice} onChange={(e) => setChild(e.currentTarget.value)}>
                {groups.map((g) => (
                  <option value={g.id} key={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              <button type="submit">Add child group</button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
