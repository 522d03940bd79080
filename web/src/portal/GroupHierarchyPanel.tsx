// A group's place in the organization's hierarchy: the tree around it, and setting or removing
// its parent or adding a child group. The server refuses cycles (`hierarchy_cycle`) and a second
// parent; its message is shown as it is.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { GroupHierarchy, GroupView, OrgGroup } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import type { PortalOrganization } from "./access";
import { GroupSelect } from "./GroupSelect";
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
              <PickGroup id="parent-group" label="Parent group" action="Set parent" groups={groups} onPick={(id) => change(() => api("PUT", `/api/v1/groups/${enc(group.id)}/parent`, { parent_id: id }), `${group.name} is now below ${name(id)}.`)} />
            )
          )}
          {groups.length > 0 && (
            <PickGroup id="child-group" label="Child group" action="Add child group" groups={groups} onPick={(id) => change(() => api("PUT", `/api/v1/groups/${enc(id)}/parent`, { parent_id: group.id }), `${name(id)} is now below ${group.name}.`)} />
          )}
        </div>
      )}
    </section>
  );
}

function PickGroup({ id, label, action, groups, onPick }: { id: string; label: string; action: string; groups: OrgGroup[]; onPick(id: string): Promise<void> }) {
  const [picked, setPicked] = useState("");
  const choice = picked || groups[0].id;
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onPick(choice);
      }}
    >
      <GroupSelect id={id} label={label} groups={groups} value={choice} onChange={setPicked} />
      <button type="submit">{action}</button>
    </form>
  );
}
