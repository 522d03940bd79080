// The policies' names as people read them (seed 000, Kaizala's tenant and group policies).
import type { GroupPolicyName, TenantPolicyName } from "../api/types";

export const GROUP_POLICIES: { name: GroupPolicyName; label: string }[] = [
  { name: "restrict_copy", label: "Restrict copying messages" },
  { name: "restrict_share", label: "Restrict sharing out of Parley" },
  { name: "restrict_forward", label: "Restrict forwarding" },
  { name: "new_members_see_history", label: "New members see earlier messages" },
  { name: "delete_for_everyone", label: "Delete for everyone" },
  { name: "invite_links", label: "Invites by link" },
];

export const TENANT_POLICIES: { name: TenantPolicyName; label: string; hint?: string }[] = [
  { name: "parley_enabled", label: "Parley enabled for the organization", hint: "Off: members cannot use the organization's chats and groups; admins keep the portal." },
  { name: "groups_require_work_account", label: "Work-account sign-in required in organization groups" },
  ...GROUP_POLICIES,
  { name: "group_admins_set_policies", label: "Group admins may tighten their groups' policies" },
];

export const onOff = (v: boolean) => (v ? "On" : "Off");
