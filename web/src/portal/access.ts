// Who may open which part of the portal, from what the server already told us: the profile's
// role in each organization (GET /api/v1/me) and the caller's group roles (the conversation
// list). Seed 004: organization admins manage everything of their organization; group admins
// manage only the organization groups they are a direct admin of. The server decides every
// request again; this only hides what it would refuse.
import type { ConversationSummary, Profile } from "../api/types";

export interface PortalOrganization {
  id: string;
  name: string;
  orgAdmin: boolean;
  // Organization groups the caller is a direct group admin of.
  adminGroups: string[];
}

export function portalOrganizations(me: Profile | null, conversations: ConversationSummary[]): PortalOrganization[] {
  if (!me) return [];
  return me.organizations
    .map((o) => ({
      id: o.id,
      name: o.name,
      orgAdmin: o.role === "admin",
      adminGroups: conversations
        .filter((c) => c.kind === "group" && c.role === "admin" && !c.inherited && c.owner.type === "organization" && c.owner.organization_id === o.id)
        .map((c) => c.id),
    }))
    .filter((o) => o.orgAdmin || o.adminGroups.length > 0);
}

export type Section = "people" | "add-people" | "attributes" | "imports" | "exports" | "removed" | "groups" | "reports" | "policies";

const ORG_ADMIN: Section[] = ["people", "add-people", "attributes", "imports", "exports", "removed", "groups", "reports", "policies"];
// A group admin's portal: their groups (members, admins, hierarchy, policies where allowed), the
// exports of those groups' memberships and those groups' reports.
const GROUP_ADMIN: Section[] = ["groups", "exports", "reports"];

export function sections(org: PortalOrganization): Section[] {
  return org.orgAdmin ? ORG_ADMIN : GROUP_ADMIN;
}
