// The JSON shapes of docs/openapi.yaml that the web app reads (only the fields it uses).

export interface User {
  id: string;
  phone: string;
  name: string;
}

export interface ProfileOrganization {
  id: string;
  name: string;
  role: "admin" | "member";
  email: string | null;
  work_account_linked: boolean;
}

export interface Profile extends User {
  organizations: ProfileOrganization[];
  work_account: { organization_id: string; email: string } | null;
}

export type Owner = { type: "private" } | { type: "organization"; organization_id: string };

export interface Conversation {
  id: string;
  kind: "chat" | "group";
  name: string;
  owner: Owner;
  last_seq: number;
  last_activity_at: string;
  type?: "flat" | "public";
  managed?: boolean;
}

// What holds inside a conversation; copy and share restrictions are for clients to honour.
export interface Policies {
  restrict_copy: boolean;
  restrict_share: boolean;
  restrict_forward: boolean;
  new_members_see_history: boolean;
  delete_for_everyone: boolean;
  invite_links: boolean;
  require_work_account?: boolean;
}

export interface ConversationSummary extends Conversation {
  role: "admin" | "member";
  read_seq: number;
  unread: number;
  peer?: User;
  inherited?: boolean;
  policies?: Policies;
}

export interface Member extends User {
  user_id: string;
  role: "admin" | "member";
  read_seq: number;
  inherited?: boolean;
}

export interface ConversationView extends Conversation {
  my_role: "admin" | "member" | null;
  members: Member[];
  member_count: number;
  members_partial?: boolean;
  organization?: { id: string; name: string };
  policies?: Policies;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  kind: "text" | "system" | "card";
  sender_id: string | null;
  card?: Card; // card messages: spec and state, never results
  text: string;
  client_id: string | null;
  reply_to: string | null;
  owner: Owner;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
  forwarded: boolean;
  attachments?: Attachment[];
  reactions?: Reactions;
  comment_count?: number;
}

export interface Attachment {
  id: string;
  conversation_id: string;
  name: string;
  kind: "picture" | "document" | "audio" | "video";
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  has_thumbnail: boolean;
  url: string;
  thumbnail_url: string | null;
  message_id: string | null;
}

export interface Reactions {
  like: { count: number; mine?: boolean };
}

export interface ReactionSummary {
  conversation_id: string;
  message_id: string;
  reactions: Reactions;
  comment_count: number;
}

export interface LikersPage extends ReactionSummary {
  likes: { user_id: string; name: string; liked_at: string }[];
  likes_partial: boolean;
  next_after: number | null;
}

export interface CommentsPage {
  comments: Message[];
  has_more: boolean;
}

export interface Invite {
  id: string;
  expires_at: string | null;
  max_uses: number | null;
  uses: number;
  revoked: boolean;
  created_at: string;
}

export interface CreatedInvite extends Invite {
  token: string;
}

export interface InvitePreview {
  group: { id: string; name: string; owner: Owner; member_count: number; organization?: { id: string; name: string } };
  expires_at: string | null;
  revoked: boolean;
}

export interface HistoryPage {
  messages: Message[];
  has_more: boolean;
}

export interface ChatResult extends Conversation {
  created: boolean;
  notice?: string;
}

export interface OrgPerson {
  user_id: string;
  organization_id: string;
  phone: string;
  name: string;
  email: string | null;
  role: "admin" | "member";
  work_account_linked: boolean;
  added_at: string;
  last_active_at?: string | null;
  attributes?: Record<string, string | null>;
}

export interface PeoplePage {
  people: OrgPerson[];
  columns: string[];
  total: number;
  limit: number;
  offset: number;
}

export interface PersonDetail extends OrgPerson {
  groups: { id: string; name: string; role: string }[] | null;
}

export interface GroupActivity {
  id: string;
  name: string;
  group_type: string;
  members: number;
  admins: number;
  messages: number;
  senders: number;
  cards: number;
  responses: number;
  last_activity_at: string | null;
}

export interface GroupsReport {
  organization_id: string;
  from: string;
  to: string;
  all_groups: boolean;
  groups: GroupActivity[];
}

export interface RemovedRecord {
  user_id: string;
  phone: string;
  name: string;
  removed_at: string;
  restorable_until: string;
}

export interface Attribute {
  id: string;
  name: string;
  type: string;
  mandatory: boolean;
  self_editable?: boolean;
  visible_to_members?: boolean;
}

export type ImportKind = "users" | "user_groups" | "parent_groups";

export interface ImportJob {
  id: string;
  kind: ImportKind;
  file_name: string;
  dry_run: boolean;
  status: "queued" | "processing" | "completed" | "failed";
  progress: number;
  rows: number;
  applied: number;
  unchanged: number;
  failed: number;
  created_at: string;
  finished_at: string | null;
  error: { code: string; message: string } | null;
}

// ---- The management portal (issue 6) ----

export type AttributeType = "string" | "number" | "boolean" | "date_time";

export interface NewAttribute {
  name: string;
  type: AttributeType;
  mandatory: boolean;
  self_editable: boolean;
  visible_to_members: boolean;
}

export interface ErrorDetail {
  code: string;
  message: string;
}

export interface PeopleResults {
  added: OrgPerson[];
  failed: { phone: string; error: ErrorDetail }[];
}

export interface MemberChanges {
  added: User[];
  already_members: User[];
  failed: { phone: string; error: ErrorDetail }[];
}

export type GroupPolicyName = "restrict_copy" | "restrict_share" | "restrict_forward" | "new_members_see_history" | "delete_for_everyone" | "invite_links";
export type TenantPolicyName = GroupPolicyName | "parley_enabled" | "groups_require_work_account" | "group_admins_set_policies";

export interface OrganizationView {
  id: string;
  name: string;
  default_region: string;
  policies: Record<TenantPolicyName, boolean>;
  my_role: "admin" | "member" | "none";
  work_account_linked: boolean;
}

export interface ExportJob {
  id: string;
  kind: "people" | "group_members";
  group: { id: string; name: string } | null;
  file_name: string;
  exported_by: { id: string; phone: string };
  status: "queued" | "running" | "completed" | "failed";
  progress: number;
  rows: number;
  created_at: string;
  finished_at: string | null;
  error: ErrorDetail | null;
}

export interface OrgGroup extends Conversation {
  created_at: string;
  owned_since?: string;
  managed?: boolean;
}

export interface GroupView extends ConversationView {
  managed?: boolean;
  policies: Record<GroupPolicyName | "require_work_account", boolean>;
  policy_overrides?: Record<GroupPolicyName | "require_work_account", boolean | null>;
  hierarchy?: { parent_id: string | null; children: number; hierarchical: boolean };
  subscriber_count?: number;
}

export interface HierarchyNode {
  id: string;
  name: string;
  parent_id: string | null;
  depth: number;
  direct_members: number;
  inherited_members: number;
}

export interface GroupHierarchy {
  group_id: string;
  ancestors: HierarchyNode[];
  subtree: HierarchyNode[];
}

// ---- action cards (the `cards` tag of docs/openapi.yaml) ----

export type CardType = "poll" | "survey" | "announcement" | "job" | "checklist";
export type CardState = "active" | "closed" | "expired";
export type QuestionType = "single_choice" | "multiple_choice" | "text" | "number" | "date_time" | "location" | "attachment";

export interface SurveyQuestion {
  title: string;
  type: QuestionType;
  mandatory?: boolean;
  choices?: string[];
}

// One shape per type (CardSpec); the fields a type does not take are absent.
export interface CardSpec {
  question?: string; // poll
  choices?: string[]; // poll
  title?: string; // survey, announcement, job, checklist
  questions?: SurveyQuestion[]; // survey
  text?: string; // announcement, job
  assignees?: string[]; // job
  items?: string[]; // checklist
}

export interface Card {
  id: string;
  message_id: string;
  conversation_id: string;
  created_by: string;
  type: CardType;
  spec: CardSpec;
  state: CardState;
  anonymous: boolean;
  results_visibility: "all" | "sender";
  allow_multiple: boolean;
  due_at: string | null;
  closed_at: string | null;
  created_at: string;
}

export interface CardResponse {
  id: string;
  responder_id: string | null;
  answers: Record<string, unknown>; // {"answers": [...]}, {"acknowledged"}, {"done"}, {"item","ticked"}
  created_at: string;
  updated_at: string;
}

export interface QuestionSummary {
  counts?: number[];
  answered?: number;
  sum?: number;
  min?: number | string;
  max?: number | string;
}

export interface CardSummary {
  responses: number;
  responders: number;
  questions?: QuestionSummary[];
  acknowledged?: number;
  done?: Record<string, string>;
  items?: { ticked: boolean; by: string | null; at: string | null }[];
  ticked?: number;
}

export interface CardView extends Card {
  response_count: number | null;
  summary: CardSummary | null;
  participation: { eligible: number; responded: number } | null;
  my_responses: CardResponse[];
  // Surveys: the files the caller's own responses answer with.
  my_attachments: Attachment[];
  can_respond: boolean;
  reminded_at: string | null;
}

export interface CardResponses {
  card_id: string;
  type: CardType;
  state: CardState;
  anonymous: boolean;
  responses: CardResponse[];
  // Surveys: the files the responses answer with (an attachment answer is one of these ids).
  attachments: Attachment[];
  acknowledged?: { user_id: string; at: string }[];
  not_acknowledged?: string[];
  assignees?: { user_id: string; done: boolean; done_at: string | null }[];
}
