#include "http/serialize.hpp"

#include <algorithm>

namespace parley::http {

using nlohmann::json;

namespace {
json optional_time(const std::optional<TimestampMs>& t) {
    return t ? json(format_rfc3339(*t)) : json(nullptr);
}
}  // namespace

json to_json(const core::User& u) { return {{"id", u.id}, {"phone", u.phone}, {"name", u.name}}; }

json to_json(const core::Owner& o) {
    if (!o.is_organization()) return {{"type", "private"}};
    return {{"type", "organization"}, {"organization_id", o.organization_id}};
}

json to_json(const core::Message& m) {
    json j = {{"id", m.id},
              {"conversation_id", m.conversation_id},
              {"seq", m.seq},
              {"kind", m.kind == core::MessageKind::system ? "system"
                       : m.kind == core::MessageKind::card ? "card"
                                                           : "text"},
              {"sender_id", m.sender_id.empty() ? json(nullptr) : json(m.sender_id)},
              {"text", m.text},
              {"client_id", m.client_id.empty() ? json(nullptr) : json(m.client_id)},
              {"reply_to", m.reply_to ? json(*m.reply_to) : json(nullptr)},
              {"owner", to_json(m.owner)},
              {"created_at", format_rfc3339(m.created_at)},
              {"edited_at", optional_time(m.edited_at)},
              {"deleted", m.deleted_at.has_value()},
              {"deleted_at", optional_time(m.deleted_at)},
              {"forwarded", m.forwarded},
              {"private_to", m.private_to ? json(*m.private_to) : json(nullptr)}};
    json attachments = json::array();
    for (const auto& a : m.attachments) attachments.push_back(to_json(a));
    j["attachments"] = std::move(attachments);
    if (m.card) j["card"] = to_json(*m.card);
    j["reactions"] = reactions_json(m.like_count, m.liked_by_reader);
    j["comment_count"] = m.comment_count;
    return j;
}

json to_json(const core::Attachment& a) {
    const auto optional_int = [](const std::optional<std::int64_t>& v) {
        return v ? json(*v) : json(nullptr);
    };
    return {{"id", a.id},
            {"conversation_id", a.conversation_id},
            {"uploader_id", a.uploader_id},
            {"name", a.name},
            {"kind", a.kind},
            {"content_type", a.content_type},
            {"size", a.size},
            {"width", optional_int(a.width)},
            {"height", optional_int(a.height)},
            {"duration_ms", optional_int(a.duration_ms)},
            {"has_thumbnail", a.thumbnail_blob.has_value()},
            {"url", "/api/v1/attachments/" + a.id},
            {"thumbnail_url",
             a.thumbnail_blob ? json("/api/v1/attachments/" + a.id + "/thumbnail") : json(nullptr)},
            {"message_id", a.message_id ? json(*a.message_id) : json(nullptr)},
            {"created_at", format_rfc3339(a.created_at)}};
}

json to_json(const core::Card& c) {
    json spec = json::parse(c.spec, nullptr, false);
    return {{"id", c.id},
            {"message_id", c.message_id},
            {"conversation_id", c.conversation_id},
            {"created_by", c.creator_id},
            {"type", core::to_string(c.type)},
            {"spec", spec.is_discarded() ? json(nullptr) : spec},
            // Expired as soon as it is due, whether or not the sweep has stored it yet.
            {"state", core::to_string(c.state_at(SystemClock().now_ms()))},
            {"anonymous", c.anonymous},
            {"results_visibility", core::to_string(c.results_visibility)},
            {"allow_multiple", c.allow_multiple},
            {"due_at", optional_time(c.due_at)},
            {"closed_at", optional_time(c.closed_at)},
            {"created_at", format_rfc3339(c.created_at)}};
}

json reactions_json(std::int64_t like_count, std::optional<bool> mine) {
    json like = {{"count", like_count}};
    if (mine) like["mine"] = *mine;
    return {{"like", like}};
}

json to_json(const core::Conversation& c) {
    json j = {{"id", c.id},
              {"kind", core::to_string(c.kind)},
              {"name", c.name},
              {"owner", to_json(c.owner)},
              {"last_seq", c.last_seq},
              {"created_by", c.created_by},
              {"created_at", format_rfc3339(c.created_at)},
              {"last_activity_at", format_rfc3339(c.last_activity_at)}};
    if (c.owner.is_organization() && c.owner_changed_at > 0) {
        j["owned_since"] = format_rfc3339(c.owner_changed_at);
    }
    if (c.kind == core::ConversationKind::group) {
        j["type"] = core::to_string(c.group_type);
        j["managed"] = c.managed;
    }
    return j;
}

json to_json(const core::ConversationSummary& s) {
    json j = to_json(s.conversation);
    j["role"] = core::to_string(s.role);
    j["read_seq"] = s.read_seq;
    j["unread"] = s.unread;
    j["policies"] = to_json(s.policies);
    // Inherited: the caller receives this group's messages through a child group and only
    // reads here.
    j["inherited"] = s.via_group_id.has_value();
    if (s.via_group_id) j["via_group_id"] = *s.via_group_id;
    if (s.peer) {
        j["peer"] = to_json(*s.peer);
        if (j["name"].get<std::string>().empty()) {
            j["name"] = s.peer->name.empty() ? s.peer->phone : s.peer->name;
        }
    }
    return j;
}

json to_json(const core::ConversationPolicies& p) {
    return {{"restrict_copy", p.restrict_copy},
            {"restrict_share", p.restrict_share},
            {"restrict_forward", p.restrict_forward},
            {"new_members_see_history", p.new_members_see_history},
            {"delete_for_everyone", p.delete_for_everyone},
            {"invite_links", p.invite_links},
            {"require_work_account", p.require_work_account}};
}

json to_json(const core::PolicyOverrides& o) {
    auto value = [](const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); };
    return {{"restrict_copy", value(o.restrict_copy)},
            {"restrict_share", value(o.restrict_share)},
            {"restrict_forward", value(o.restrict_forward)},
            {"new_members_see_history", value(o.new_members_see_history)},
            {"delete_for_everyone", value(o.delete_for_everyone)},
            {"invite_links", value(o.invite_links)},
            {"require_work_account", value(o.require_work_account)}};
}

json to_json(const core::Organization& o) {
    // One flat object: the tenant's own switches and the defaults of its conversations.
    json policies = to_json(o.policies.conversations);
    policies.erase("require_work_account");  // the tenant's is groups_require_work_account
    policies["parley_enabled"] = o.policies.parley_enabled;
    policies["groups_require_work_account"] = o.policies.groups_require_work_account;
    policies["group_admins_set_policies"] = o.policies.group_admins_set_policies;
    return {{"id", o.id},
            {"name", o.name},
            {"default_region", o.default_region},
            {"policies", policies},
            {"created_at", format_rfc3339(o.created_at)}};
}

json to_json(const core::OrgPerson& p) {
    return {{"user_id", p.user_id},
            {"organization_id", p.organization_id},
            {"phone", p.phone},
            {"name", p.name},
            {"email", p.email.empty() ? json(nullptr) : json(p.email)},
            {"role", core::to_string(p.role)},
            {"work_account_linked", p.work_account_linked},
            {"added_at", format_rfc3339(p.added_at)}};
}

json to_json(const core::Invite& i) {
    return {{"id", i.id},
            {"conversation_id", i.conversation_id},
            {"created_by", i.created_by},
            {"expires_at", optional_time(i.expires_at)},
            {"max_uses", i.max_uses ? json(*i.max_uses) : json(nullptr)},
            {"uses", i.uses},
            {"revoked", i.revoked},
            {"created_at", format_rfc3339(i.created_at)}};
}

json to_json(const core::Session& s, const core::Id& current_session) {
    return {{"id", s.id},
            {"user_agent", s.user_agent},
            {"client_address", s.client_address},
            {"created_at", format_rfc3339(s.created_at)},
            {"last_used_at", format_rfc3339(s.last_used_at)},
            {"current", s.id == current_session}};
}

json to_json(const core::WorkAccount& a) {
    return {{"organization_id", a.organization_id},
            {"email", a.email},
            {"linked_at", format_rfc3339(a.linked_at)}};
}

json to_json(const store::MemberWithUser& m) {
    json j = to_json(m.user);
    j["user_id"] = m.user.id;
    j["role"] = core::to_string(m.member.role);
    j["read_seq"] = m.member.read_seq;
    j["joined_at"] = format_rfc3339(m.member.joined_at);
    // Inherited members are listed after the direct ones, with the child group they come from.
    j["inherited"] = m.member.inherited();
    if (m.member.via_group_id) j["via_group_id"] = *m.member.via_group_id;
    return j;
}

json to_json(const store::HierarchyNode& n) {
    return {{"id", n.conversation.id},
            {"name", n.conversation.name},
            {"parent_id", n.parent_id ? json(*n.parent_id) : json(nullptr)},
            {"depth", n.depth},
            {"direct_members", n.direct_members},
            {"inherited_members", n.inherited_members}};
}

json to_json(const store::GroupHierarchy& h) {
    json ancestors = json::array();
    for (const auto& n : h.ancestors) ancestors.push_back(to_json(n));
    json subtree = json::array();
    for (const auto& n : h.subtree) subtree.push_back(to_json(n));
    return {{"ancestors", std::move(ancestors)}, {"subtree", std::move(subtree)}};
}

json to_json(const service::ConversationView& v) {
    json j = to_json(v.conversation);
    if (v.organization)
        j["organization"] = {{"id", v.organization->id}, {"name", v.organization->name}};
    j["my_role"] = v.my_role ? json(core::to_string(*v.my_role)) : json(nullptr);
    j["policies"] = to_json(v.policies);
    if (v.conversation.owner.is_organization() &&
        v.conversation.kind == core::ConversationKind::group) {
        j["policy_overrides"] = to_json(v.conversation.policy_overrides);
        // A group with children is hierarchical; one without is flat (or a leaf, which
        // behaves as a flat group).
        j["hierarchy"] = {
            {"parent_id", v.hierarchy.parent_id ? json(*v.hierarchy.parent_id) : json(nullptr)},
            {"children", v.hierarchy.children},
            {"hierarchical", v.hierarchy.children > 0}};
    }
    json members = json::array();
    for (const auto& m : v.members) members.push_back(to_json(m));
    j["members"] = std::move(members);
    j.update(member_list_json(v));
    return j;
}

json member_list_json(const service::ConversationView& v) {
    json j = {{"member_count", v.member_count}, {"members_partial", v.members_partial}};
    if (v.subscriber_count) j["subscriber_count"] = *v.subscriber_count;
    // Direct members only (not those who receive the group through a child group); counted
    // where the list is whole.
    if (!v.members_partial) {
        j["direct_member_count"] =
            std::count_if(v.members.begin(), v.members.end(),
                          [](const auto& m) { return !m.member.inherited(); });
    }
    return j;
}

json to_json(const Error& e) { return {{"code", e.code}, {"message", e.message}}; }

json to_json(const core::AttributeDefinition& a) {
    json j = {{"name", a.name},
              {"type", core::to_string(a.type)},
              {"mandatory", a.mandatory},
              {"self_editable", a.self_editable},
              {"visible_to_members", a.visible_to_members}};
    // Suggestions have no id yet.
    if (!a.id.empty()) {
        j["id"] = a.id;
        j["created_at"] = format_rfc3339(a.created_at);
    }
    return j;
}

json to_json(const service::DirectoryPage& page) {
    json columns = json::array();
    for (const auto& d : page.columns) columns.push_back(d.name);
    json people = json::array();
    for (const auto& row : page.rows) {
        json j = to_json(row.entry.person);
        j["last_active_at"] = optional_time(row.entry.last_active_at);
        json values = json::object();
        for (std::size_t i = 0; i < page.columns.size(); ++i) {
            values[page.columns[i].name] = row.columns[i] ? json(*row.columns[i]) : json(nullptr);
        }
        j["attributes"] = std::move(values);
        people.push_back(std::move(j));
    }
    return {{"people", std::move(people)}, {"columns", std::move(columns)}, {"total", page.total}};
}

json to_json(const service::GroupsReport& report) {
    json groups = json::array();
    for (const auto& row : report.groups) {
        const auto& a = row.activity;
        groups.push_back(
            {{"id", row.group.id},
             {"name", row.group.name},
             {"group_type", core::to_string(row.group.group_type)},
             {"members", a.members},
             {"admins", a.admins},
             {"messages", a.messages},
             {"senders", a.senders},
             {"cards", a.cards},
             {"responses", a.responses},
             {"last_activity_at", row.group.last_activity_at > 0
                                      ? json(format_rfc3339(row.group.last_activity_at))
                                      : json(nullptr)}});
    }
    return {{"organization_id", report.organization_id},
            {"from", format_rfc3339(report.period.from)},
            {"to", format_rfc3339(report.period.to)},
            {"all_groups", report.all_groups},
            {"groups", std::move(groups)}};
}

json to_json(const service::PersonDetail& d) {
    json j = to_json(d.person);
    j["last_active_at"] = optional_time(d.last_active_at);
    if (d.groups) {
        json groups = json::array();
        for (const auto& g : *d.groups) {
            groups.push_back({{"id", g.conversation.id},
                              {"name", g.conversation.name},
                              {"role", core::to_string(g.role)}});
        }
        j["groups"] = std::move(groups);
    } else {
        j["groups"] = nullptr;
    }
    json attributes = json::object();
    for (const auto& a : d.attributes) {
        attributes[a.definition.name] = a.value ? json(*a.value) : json(nullptr);
    }
    j["attributes"] = std::move(attributes);
    return j;
}

json to_json(const core::ImportJob& job) {
    json j = {{"id", job.id},
              {"organization_id", job.organization_id},
              {"kind", core::to_string(job.kind)},
              {"file_name", job.file_name},
              {"file_bytes", job.file_bytes},
              {"uploaded_by", {{"id", job.uploaded_by}, {"phone", job.uploaded_by_phone}}},
              {"dry_run", job.dry_run},
              {"status", core::to_string(job.status)},
              {"progress", job.progress},
              {"rows", job.rows},
              {"applied", job.applied},
              {"unchanged", job.unchanged},
              {"failed", job.failed},
              {"created_at", format_rfc3339(job.created_at)},
              {"finished_at", optional_time(job.finished_at)},
              {"error", nullptr}};
    if (job.status == core::ImportStatus::failed) {
        j["error"] = {{"code", job.error_code}, {"message", job.error_message}};
    }
    return j;
}

json to_json(const core::ExportJob& job) {
    json j = {{"id", job.id},
              {"organization_id", job.organization_id},
              {"kind", core::to_string(job.kind)},
              {"group", nullptr},
              {"file_name", job.file_name},
              {"file_bytes", job.file_bytes},
              {"exported_by", {{"id", job.exported_by}, {"phone", job.exported_by_phone}}},
              {"status", core::to_string(job.status)},
              {"progress", job.progress},
              {"rows", job.rows},
              {"created_at", format_rfc3339(job.created_at)},
              {"finished_at", optional_time(job.finished_at)},
              {"error", nullptr}};
    if (job.kind == core::ExportKind::group_members) {
        j["group"] = {{"id", job.group_id}, {"name", job.group_name}};
    }
    if (job.status == core::ExportStatus::failed) {
        j["error"] = {{"code", job.error_code}, {"message", job.error_message}};
    }
    return j;
}

json to_json(const store::RemovedRecord& r) {
    json j = to_json(r.person);
    j.erase("work_account_linked");
    j["removed_at"] = format_rfc3339(r.removed_at);
    j["restorable_until"] = format_rfc3339(r.removed_at + service::kRestoreWindowMs);
    json groups = json::array();
    for (const auto& g : r.groups) {
        groups.push_back({{"id", g.conversation.id},
                          {"name", g.conversation.name},
                          {"role", core::to_string(g.role)}});
    }
    j["groups"] = std::move(groups);
    return j;
}

}  // namespace parley::http
