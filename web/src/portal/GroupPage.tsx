// One organization group in the portal: its type, members and admins, place in the hierarchy
// and policies. What the caller may change follows their roles (seed 004); the server decides.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { GroupView, OrganizationView } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { onLinkClick } from "../ui/router";
import type { PortalOrganization } from "./access";
import { GroupHierarchyPanel } from "./GroupHierarchyPanel";
import { GroupMembers } from "./GroupMembers";
import { GroupPolicies } from "./GroupPolicies";

export function groupType(g: GroupView): string {
  if (g.type === "public") return g.managed ? "Public (managed)" : "Public";
  return g.hierarchy?.hierarchical ? "Hierarchical" : "Flat";
}

export function GroupPage({ org, groupId }: { org: PortalOrganization; groupId: string }) {
  const [group, setGroup] = useState<GroupView | null>(null);
  const [tenant, setTenant] = useState<OrganizationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const notice = new URLSearchParams(location.search).get("failed");
  const path = `/api/v1/groups/${enc(groupId)}`;

  const load = () =>
    api<GroupView>("GET", path)
      .then((g) => {
        setGroup(g);
        setError(null);
      })
      .catch((e) => setError((e as Error).message));
  useEffect(() => {
    setGroup(null);
    void load();
    api<OrganizationView>("GET", `/api/v1/organizations/${enc(org.id)}`)
      .then(setTenant)
      .catch((e) => setError((e as Error).message));
  }, [groupId]);

  const manage = org.orgAdmin || group?.my_role === "admin";
  return (
    <section aria-labelledby="group-title">
      <p>
        <a href={`/portal/${encodeURIComponent(org.id)}/groups`} onClick={onLinkClick}>
          ← All groups
        </a>
      </p>
      <h2 id="group-title">{group?.name ?? "Group"}</h2>
      <ErrorText error={error} />
      {notice && <p class="notice">Some first members were not added: {notice}</p>}
      {group && (
        <>
          <dl class="details">
            <dt>Type</dt>
            <dd data-testid="group-type">{groupType(group)}</dd>
            <dt>Members</dt>
            <dd>
              {group.member_count}
              {group.subscriber_count !== undefined && ` (${group.subscriber_count} subscribers)`}
            </dd>
            <dt>Your role</dt>
            <dd>{group.my_role === "admin" ? "Group admin" : group.my_role === "member" ? "Member" : "Organization admin (not a member)"}</dd>
          </dl>
          <GroupMembers group={group} manage={manage} onChanged={load} />
          {group.hierarchy && <GroupHierarchyPanel org={org} group={group} manage={manage} onChanged={load} />}
          {group.policy_overrides && tenant && <GroupPolicies group={group} tenant={tenant} orgAdmin={org.orgAdmin} onSaved={setGroup} />}
        </>
      )}
    </section>
  );
}
