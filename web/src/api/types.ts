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
