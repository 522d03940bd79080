#include "service/conversation_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/phone.hpp"
#include "crypto/hashing.hpp"
#include "crypto/random.hpp"
#include "service/text.hpp"

namespace parley::service {

using authz::ConversationAction;
using authz::OrgAction;
using core::ConversationKind;
using core::MemberRole;

namespace {

// Inherited members come and go with the child groups they are in, not by hand.
std::unexpected<Error> inherited_member_error(const core::Member& member) {
    return fail(ErrorKind::conflict, "inherited_member",
                "That person is in this group through its child group " +
                    member.via_group_id.value_or("") +
                    "; add them here directly first, or remove them from the child group.");
}

std::string owner_label(const core::Owner& owner) {
    return owner.is_organization() ? owner.organization_id : "private";
}

// One chat per pair of people and owner: a private chat and an organization chat between the
// same two people are different conversations.
std::string chat_key(const core::Id& a, const core::Id& b, const core::Owner& owner) {
    const auto& [lo, hi] = std::minmax(a, b);
    return lo + "|" + hi + "|" + owner_label(owner);
}

}  // namespace

Result<std::string> ConversationService::clean_name(const std::string& name) {
    std::string cleaned = trim(name);
    auto length = utf8_length(cleaned);
    if (!length) return fail(ErrorKind::invalid, "invalid_name", "The name must be UTF-8.");
    if (*length == 0) return fail(ErrorKind::invalid, "name_required", "Give the group a name.");
    if (*length > core::kMaxNameChars) {
        return fail(ErrorKind::invalid, "name_too_long", "A name holds at most 200 characters.");
    }
    return cleaned;
}

Result<void> ConversationService::check_group_type(const core::Owner& owner,
                                                   const GroupTypeChoice& type) {
    if (type.managed && type.type != core::GroupType::public_) {
        return fail(ErrorKind::invalid, "managed_requires_public",
                    "Only public groups can be managed; leave out \"managed\" or give "
                    "\"type\": \"public\".");
    }
    if (type.type == core::GroupType::public_ && !owner.is_organization()) {
        return fail(ErrorKind::invalid, "public_group_requires_organization",
                    "Private groups are always flat; create a public group in an organization "
                    "(POST /api/v1/organizations/{id}/groups).");
    }
    return ok();
}

std::string ConversationService::display_name(const core::User& user) const {
    return user.name.empty() ? user.phone : user.name;
}

Result<core::User> ConversationService::user_for_phone(const std::string& phone,
                                                       const std::string& region) {
    PARLEY_TRY_ASSIGN(auto e164,
                      core::normalize_phone(phone, region.empty() ? default_region_ : region));
    return store_.ensure_user(e164, "");
}

core::Message ConversationService::system_message(const core::Conversation& conversation,
                                                  std::string text,
                                                  const std::optional<core::Id>& about,
                                                  MemberRole role) {
    core::Message m;
    if (about) {
        authz::ConversationFacts facts = authz::conversation_facts(conversation);
        facts.membership = role;
        m.private_to = authz::private_to(facts, *about);
    }
    m.id = crypto::new_id("msg");
    m.conversation_id = conversation.id;
    m.kind = core::MessageKind::system;
    m.text = std::move(text);
    m.owner = conversation.owner;
    m.created_at = clock_.now_ms();
    return m;
}

Result<core::Conversation> ConversationService::create_group_owned(const Caller& caller,
                                                                   const std::string& name,
                                                                   const core::Owner& owner,
                                                                   const GroupTypeChoice& type) {
    PARLEY_TRY_ASSIGN(auto cleaned, clean_name(name));
    PARLEY_TRY_VOID(check_group_type(owner, type));
    core::Conversation c;
    c.id = crypto::new_id("cnv");
    c.kind = ConversationKind::group;
    c.name = cleaned;
    c.owner = owner;
    c.group_type = type.type;
    c.managed = type.managed;
    c.created_by = caller.user.id;
    c.created_at = clock_.now_ms();
    c.last_activity_at = c.created_at;
    std::vector<core::Member> members{
        core::Member{c.id, caller.user.id, MemberRole::admin, 0, c.created_at}};
    PARLEY_TRY_VOID(store_.create_conversation(
        c, "", members, system_message(c, display_name(caller.user) + " created the group.")));
    c.last_seq = 1;
    events_.publish(Event{"member.added", c.id, c.last_seq, std::nullopt, {caller.user.id}, {}});
    return c;
}

Result<core::Conversation> ConversationService::create_group(const Caller& caller,
                                                             const std::string& name,
                                                             const GroupTypeChoice& type) {
    return create_group_owned(caller, name, core::Owner::private_owner(), type);
}

Result<void> ConversationService::check_phones(const std::vector<std::string>& phones,
                                               const std::string& region) {
    for (const auto& phone : phones) {
        PARLEY_TRY_VOID(core::normalize_phone(phone, region.empty() ? default_region_ : region));
    }
    return ok();
}

Result<core::Conversation> ConversationService::create_organization_group(
    const Caller& caller, const core::Id& organization_id, const std::string& name,
    const GroupTypeChoice& type) {
    PARLEY_TRY_ASSIGN(auto org, access_.organization(caller, organization_id,
                                                     OrgAction::create_organization_group));
    if (type.type == core::GroupType::public_) {
        PARLEY_TRY_VOID(authz::check(org.actor, OrgAction::create_public_group,
                                     authz::OrgFacts{org.organization.policies}));
    }
    return create_group_owned(caller, name, core::Owner::organization(organization_id), type);
}

Result<CreatedChat> ConversationService::create_chat(const Caller& caller, const NewChat& request) {
    PARLEY_TRY_ASSIGN(auto peer, user_for_phone(request.phone, request.region));
    if (peer.id == caller.user.id) {
        return fail(ErrorKind::invalid, "cannot_chat_with_self",
                    "A chat needs another person; give someone else's number.");
    }
    core::Owner owner = core::Owner::private_owner();
    if (request.organization_id) {
        const auto& org_id = *request.organization_id;
        PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::start_organization_chat));
        PARLEY_TRY_ASSIGN(auto peer_entry, store_.find_person(org_id, peer.id));
        if (!peer_entry || !peer_entry->work_account_linked) {
            return fail(ErrorKind::conflict, "peer_not_signed_in",
                        "An organization chat needs both people signed in to the "
                        "organization's work account; " +
                            peer.phone + " is not. Start a private chat instead.");
        }
        owner = core::Owner::organization(org_id);
    }
    std::string key = chat_key(caller.user.id, peer.id, owner);
    PARLEY_TRY_ASSIGN(auto existing, store_.find_chat(key));
    if (existing) return CreatedChat{std::move(*existing), false};

    core::Conversation c;
    c.id = crypto::new_id("cnv");
    c.kind = ConversationKind::chat;
    c.owner = owner;
    c.created_by = caller.user.id;
    c.created_at = clock_.now_ms();
    c.last_activity_at = c.created_at;
    std::vector<core::Member> members{
        core::Member{c.id, caller.user.id, MemberRole::member, 0, c.created_at},
        core::Member{c.id, peer.id, MemberRole::member, 0, c.created_at}};
    auto created = store_.create_conversation(c, key, members, std::nullopt);
    if (!created) {
        // Both people started the same chat at once: return the one that won.
        if (created.error().code == "chat_exists") {
            PARLEY_TRY_ASSIGN(auto winner, store_.find_chat(key));
            if (winner) return CreatedChat{std::move(*winner), false};
        }
        return fail(created.error());
    }
    events_.publish(Event{"member.added", c.id, 0, std::nullopt, {caller.user.id, peer.id}, {}});
    return CreatedChat{std::move(c), true};
}

Result<std::vector<core::ConversationSummary>> ConversationService::list(const Caller& caller) {
    PARLEY_TRY_ASSIGN(auto list, store_.list_conversations(caller.user.id));
    // A person is in few organizations: read each one's policies once per list.
    std::unordered_map<core::Id, core::OrganizationPolicies> tenants;
    for (auto& summary : list) {
        const auto& owner = summary.conversation.owner;
        if (!owner.is_organization()) continue;
        auto it = tenants.find(owner.organization_id);
        if (it == tenants.end()) {
            PARLEY_TRY_ASSIGN(auto org, store_.find_organization(owner.organization_id));
            it = tenants
                     .emplace(owner.organization_id,
                              org ? org->policies : core::OrganizationPolicies{})
                     .first;
        }
        summary.policies = authz::effective_policies(summary.conversation, it->second);
    }
    // A subscriber's unread count leaves out what they will never see: the messages private to
    // other subscribers (read to the same last_seq as the list, so the count is exact).
    for (auto& summary : list) {
        authz::ConversationFacts facts = authz::conversation_facts(summary.conversation);
        facts.membership = summary.role;
        if (!authz::is_subscriber(facts) || summary.unread == 0) continue;
        PARLEY_TRY_ASSIGN(auto hidden, store_.count_private_to_others(
                                           summary.conversation.id, caller.user.id,
                                           summary.read_seq, summary.conversation.last_seq));
        summary.unread = std::max<std::int64_t>(0, summary.unread - hidden);
    }
    return list;
}

Result<ConversationView> ConversationService::view_of(ConversationAccess access) {
    ConversationView v;
    v.policies = access.facts.policies;
    if (access.member) v.my_role = access.member->role;
    PARLEY_TRY_ASSIGN(v.members, store_.list_members(access.conversation.id));
    v.member_count = static_cast<std::int64_t>(v.members.size());
    if (access.conversation.group_type == core::GroupType::public_) {
        v.subscriber_count = std::count_if(v.members.begin(), v.members.end(), [](const auto& m) {
            return m.member.role != MemberRole::admin;
        });
    }
    // A subscriber sees the admins and themself; the count says how many others there are.
    if (!Access::check(access, ConversationAction::view_all_members)) {
        std::erase_if(v.members, [&](const store::MemberWithUser& m) {
            return m.member.role != MemberRole::admin && m.user.id != access.actor.user_id;
        });
        v.members_partial = true;
    }
    v.conversation = std::move(access.conversation);
    v.organization = std::move(access.organization);
    v.hierarchy = access.links;
    return v;
}

Result<ConversationView> ConversationService::view(const Caller& caller,
                                                   const core::Id& conversation_id) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.conversation(caller, conversation_id, ConversationAction::view_info));
    return view_of(std::move(access));
}

Result<ConversationView> ConversationService::update_group(const Caller& caller,
                                                           const core::Id& conversation_id,
                                                           const GroupPatch& patch) {
    if (!patch.name && !patch.policies && !patch.type && !patch.managed) {
        return fail(ErrorKind::invalid, "missing_field", "Give \"name\", \"policies\" or both.");
    }
    std::optional<std::string> cleaned;
    if (patch.name) {
        PARLEY_TRY_ASSIGN(cleaned, clean_name(*patch.name));
    }
    const bool asks_type = patch.type || patch.managed;
    // Every decision before any write, so that a refused half leaves the other undone too.
    PARLEY_TRY_ASSIGN(
        auto access, access_.conversation(caller, conversation_id,
                                          cleaned || asks_type ? ConversationAction::rename
                                                               : ConversationAction::set_policies));
    // Changing the type would change who sees what was already said (a public group's private
    // replies, or a flat group's members and messages suddenly hidden): make a new group.
    if ((patch.type && *patch.type != access.conversation.group_type) ||
        (patch.managed && *patch.managed != access.conversation.managed)) {
        return fail(ErrorKind::conflict, "group_type_fixed",
                    "A group's type is chosen when it is created and cannot change; create a "
                    "new group of the type you need.");
    }
    core::PolicyOverrides overrides = access.conversation.policy_overrides;
    if (patch.policies) {
        // Only the values being set can loosen: clearing one falls back to the tenant's.
        core::PolicyOverrides requested;
        auto take = [](const OverrideChange& change, std::optional<bool>& current,
                       std::optional<bool>& set) {
            if (!change) return;
            current = *change;
            set = *change;
        };
        const PolicyPatch& p = *patch.policies;
        take(p.restrict_copy, overrides.restrict_copy, requested.restrict_copy);
        take(p.restrict_share, overrides.restrict_share, requested.restrict_share);
        take(p.restrict_forward, overrides.restrict_forward, requested.restrict_forward);
        take(p.new_members_see_history, overrides.new_members_see_history,
             requested.new_members_see_history);
        take(p.delete_for_everyone, overrides.delete_for_everyone, requested.delete_for_everyone);
        take(p.invite_links, overrides.invite_links, requested.invite_links);
        take(p.require_work_account, overrides.require_work_account,
             requested.require_work_account);
        authz::ConversationFacts facts = access.facts;
        facts.change_loosens_tenant =
            authz::loosens(authz::tenant_group_policies(access.facts.org_policies), requested);
        PARLEY_TRY_VOID(authz::check(access.actor, ConversationAction::set_policies, facts));
    }
    bool changed = false;
    if (cleaned && *cleaned != access.conversation.name) {
        PARLEY_TRY_VOID(store_.rename_conversation(conversation_id, *cleaned));
        access.conversation.name = *cleaned;
        changed = true;
    }
    if (overrides != access.conversation.policy_overrides) {
        PARLEY_TRY_ASSIGN(bool stored, store_.set_policy_overrides(conversation_id, overrides));
        if (!stored) {
            return fail(ErrorKind::conflict, "not_organization_group",
                        "Only organization groups have policies of their own.");
        }
        access.conversation.policy_overrides = overrides;
        access.facts.policies =
            authz::effective_policies(access.conversation, access.facts.org_policies);
        changed = true;
    }
    if (changed) {
        events_.publish(Event{"conversation.updated",
                              conversation_id,
                              access.conversation.last_seq,
                              std::nullopt,
                              {},
                              access.conversation.owner.organization_id});
    }
    return view_of(std::move(access));
}

Result<std::vector<MemberChange>> ConversationService::add_members(
    const Caller& caller, const core::Id& conversation_id, const std::vector<std::string>& phones,
    const std::string& region, MemberRole role) {
    PARLEY_TRY_ASSIGN(
        auto access, access_.conversation(caller, conversation_id, ConversationAction::add_member));
    std::vector<MemberChange> changes;
    std::vector<core::Id> added_ids;
    for (const auto& phone : phones) {
        MemberChange change{phone, std::nullopt, std::nullopt, false};
        auto user = user_for_phone(phone, region);
        if (!user) {
            change.error = user.error();
            changes.push_back(std::move(change));
            continue;
        }
        change.user = *user;
        std::string text = display_name(*user) + " was added by " + display_name(caller.user) + ".";
        if (access.organization)
            text += " This group is owned by " + access.organization->name + ".";
        core::Member m{conversation_id, user->id, role, 0, clock_.now_ms()};
        auto added =
            store_.add_member(m, system_message(access.conversation, text, user->id, role));
        if (!added) {
            change.error = added.error();
        } else {
            change.added = *added;
            if (*added) added_ids.push_back(user->id);
        }
        changes.push_back(std::move(change));
    }
    // One event for the whole request: each member.added makes the hub read the audience
    // again, and a bulk add of thousands must not cost thousands of reads.
    if (!added_ids.empty()) {
        events_.publish(
            Event{"member.added", conversation_id, 0, std::nullopt, std::move(added_ids), {}});
    }
    return changes;
}

Result<void> ConversationService::remove_member(const Caller& caller,
                                                const core::Id& conversation_id,
                                                const core::Id& user_id) {
    if (user_id == caller.user.id) return leave(caller, conversation_id, std::nullopt);
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::remove_member));
    PARLEY_TRY_ASSIGN(auto target, store_.find_member(conversation_id, user_id));
    if (!target) return fail(ErrorKind::not_found, "member_not_found", "Not a member.");
    if (target->inherited()) return inherited_member_error(*target);
    if (target->role == MemberRole::admin) {
        PARLEY_TRY_ASSIGN(auto admins, store_.count_admins(conversation_id));
        if (admins <= 1) {
            return fail(ErrorKind::conflict, "last_admin",
                        "That person is the group's last admin; make someone else admin first.");
        }
    }
    PARLEY_TRY_ASSIGN(auto user, store_.find_user(user_id));
    std::string who = user ? display_name(*user) : "A member";
    PARLEY_TRY_VOID(store_.remove_member(
        conversation_id, user_id,
        system_message(access.conversation,
                       who + " was removed by " + display_name(caller.user) + ".", user_id,
                       target->role)));
    events_.publish(Event{"member.removed", conversation_id, 0, std::nullopt, {user_id}, {}});
    announce_admin_left(access.conversation, target->role);
    return announce_still_inherited(conversation_id, user_id);
}

Result<void> ConversationService::leave(const Caller& caller, const core::Id& conversation_id,
                                        const std::optional<core::Id>& successor) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.conversation(caller, conversation_id, ConversationAction::leave));
    if (access.member->role == MemberRole::admin) {
        PARLEY_TRY_ASSIGN(auto admins, store_.count_admins(conversation_id));
        if (admins <= 1) {
            if (!successor) {
                return fail(ErrorKind::conflict, "last_admin",
                            "You are the group's last admin: name a successor "
                            "(\"successor\": a member's user id) to leave.");
            }
            PARLEY_TRY_ASSIGN(auto next, store_.find_member(conversation_id, *successor));
            if (!next || *successor == caller.user.id) {
                return fail(ErrorKind::invalid, "invalid_successor",
                            "The successor must be another member of the group.");
            }
            PARLEY_TRY_VOID(store_.set_member_role(conversation_id, *successor, MemberRole::admin));
        }
    }
    PARLEY_TRY_VOID(store_.remove_member(
        conversation_id, caller.user.id,
        system_message(access.conversation, display_name(caller.user) + " left.", caller.user.id,
                       access.member->role)));
    events_.publish(
        Event{"member.removed", conversation_id, 0, std::nullopt, {caller.user.id}, {}});
    announce_admin_left(access.conversation, access.member->role);
    return announce_still_inherited(conversation_id, caller.user.id);
}

Result<void> ConversationService::announce_still_inherited(const core::Id& conversation_id,
                                                           const core::Id& user_id) {
    PARLEY_TRY_ASSIGN(auto still, store_.find_member(conversation_id, user_id));
    if (still) {
        events_.publish(Event{"member.added", conversation_id, 0, std::nullopt, {user_id}, {}});
    }
    return ok();
}

void ConversationService::announce_admin_left(const core::Conversation& conversation,
                                              MemberRole role) {
    if (conversation.group_type != core::GroupType::public_ || role != MemberRole::admin) return;
    events_.publish(Event{"conversation.updated",
                          conversation.id,
                          0,
                          std::nullopt,
                          {},
                          conversation.owner.organization_id});
}

Result<void> ConversationService::set_role(const Caller& caller, const core::Id& conversation_id,
                                           const core::Id& user_id, MemberRole role) {
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::set_member_role));
    PARLEY_TRY_ASSIGN(auto target, store_.find_member(conversation_id, user_id));
    if (!target) return fail(ErrorKind::not_found, "member_not_found", "Not a member.");
    if (target->inherited()) return inherited_member_error(*target);
    if (target->role == MemberRole::admin && role == MemberRole::member) {
        PARLEY_TRY_ASSIGN(auto admins, store_.count_admins(conversation_id));
        if (admins <= 1) {
            return fail(ErrorKind::conflict, "last_admin",
                        "A group keeps at least one admin; promote someone else first.");
        }
    }
    PARLEY_TRY_VOID(store_.set_member_role(conversation_id, user_id, role));
    events_.publish(Event{"conversation.updated",
                          conversation_id,
                          access.conversation.last_seq,
                          std::nullopt,
                          {user_id},
                          {}});
    return ok();
}

Result<core::Conversation> ConversationService::add_to_organization(
    const Caller& caller, const core::Id& conversation_id, const core::Id& organization_id) {
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::read_messages));
    // The decision is about the target organization: the caller's sign-in there and its state.
    PARLEY_TRY_ASSIGN(auto org, store_.find_organization(organization_id));
    if (!org) {
        return fail(ErrorKind::not_found, "organization_not_found",
                    "No such organization, or you are not in its directory.");
    }
    if (access.conversation.owner == core::Owner::organization(organization_id)) {
        return access.conversation;  // already done: repeating the request changes nothing
    }
    PARLEY_TRY_ASSIGN(auto actor, access_.actor_in(caller, organization_id));
    authz::ConversationFacts facts = access.facts;
    facts.org_policies = org->policies;
    PARLEY_TRY_VOID(authz::check(actor, ConversationAction::add_to_organization, facts));

    core::Conversation owned = access.conversation;
    owned.owner = core::Owner::organization(organization_id);
    PARLEY_TRY_ASSIGN(
        auto updated,
        store_.set_owner(conversation_id, owned.owner, clock_.now_ms(),
                         system_message(owned, "This group is now owned by " + org->name +
                                                   ". Messages from now on belong to the "
                                                   "organization; earlier ones stay private.")));
    events_.publish(Event{"conversation.updated",
                          conversation_id,
                          updated.last_seq,
                          std::nullopt,
                          {},
                          organization_id});
    return updated;
}

Result<CreatedInvite> ConversationService::create_invite(const Caller& caller,
                                                         const core::Id& conversation_id,
                                                         const NewInvite& request) {
    if (request.expires_in_seconds && (*request.expires_in_seconds < 1 ||
                                       *request.expires_in_seconds > kMaxInviteLifetimeSeconds)) {
        return fail(ErrorKind::invalid, "invalid_expiry",
                    "expires_in_seconds must be between 1 and 31536000 (a year).");
    }
    if (request.max_uses && (*request.max_uses < 1 || *request.max_uses > 100000)) {
        return fail(ErrorKind::invalid, "invalid_max_uses",
                    "max_uses must be between 1 and 100000.");
    }
    PARLEY_TRY_VOID(
        access_.conversation(caller, conversation_id, ConversationAction::create_invite));
    CreatedInvite created;
    created.token = crypto::random_token();
    core::Invite& i = created.invite;
    i.id = crypto::new_id("inv");
    i.conversation_id = conversation_id;
    i.created_by = caller.user.id;
    i.created_at = clock_.now_ms();
    if (request.expires_in_seconds)
        i.expires_at = i.created_at + *request.expires_in_seconds * 1000;
    i.max_uses = request.max_uses;
    PARLEY_TRY_VOID(store_.create_invite(i, crypto::hash_token(created.token)));
    return created;
}

Result<std::vector<core::Invite>> ConversationService::list_invites(
    const Caller& caller, const core::Id& conversation_id) {
    PARLEY_TRY_VOID(
        access_.conversation(caller, conversation_id, ConversationAction::manage_invites));
    return store_.list_invites(conversation_id);
}

Result<void> ConversationService::revoke_invite(const Caller& caller,
                                                const core::Id& conversation_id,
                                                const core::Id& invite_id) {
    PARLEY_TRY_VOID(
        access_.conversation(caller, conversation_id, ConversationAction::manage_invites));
    PARLEY_TRY_ASSIGN(bool revoked, store_.revoke_invite(conversation_id, invite_id));
    if (!revoked) {
        return fail(ErrorKind::not_found, "invite_not_found", "No such live invite in this group.");
    }
    return ok();
}

Result<InvitePreview> ConversationService::preview_invite(const std::string& token) {
    PARLEY_TRY_ASSIGN(auto invite, store_.find_invite_by_token_hash(crypto::hash_token(token)));
    if (!invite) {
        return fail(ErrorKind::not_found, "invite_not_found", "This invite link is not valid.");
    }
    PARLEY_TRY_ASSIGN(auto conversation, store_.find_conversation(invite->conversation_id));
    if (!conversation) {
        return fail(ErrorKind::not_found, "invite_not_found", "This invite link is not valid.");
    }
    InvitePreview p{*invite, *conversation, std::nullopt, 0};
    if (conversation->owner.is_organization()) {
        PARLEY_TRY_ASSIGN(p.organization,
                          store_.find_organization(conversation->owner.organization_id));
    }
    PARLEY_TRY_ASSIGN(auto members, store_.list_members(conversation->id));
    p.member_count = static_cast<std::int64_t>(members.size());
    return p;
}

Result<JoinedGroup> ConversationService::join(const Caller& caller, const std::string& token) {
    PARLEY_TRY_ASSIGN(auto preview, preview_invite(token));
    const auto& conversation = preview.conversation;
    std::string text = display_name(caller.user) + " joined using an invite link.";
    // Joining an organization group admits people only on the organization's terms: its
    // links turned on, and its sign-in gate.
    authz::Actor actor{caller.user.id, core::OrgRole::none, false};
    authz::ConversationFacts facts = authz::conversation_facts(conversation);
    if (preview.organization) {
        PARLEY_TRY_ASSIGN(actor, access_.actor_in(caller, preview.organization->id));
        facts.org_policies = preview.organization->policies;
        text += " This group is owned by " + preview.organization->name + ".";
    }
    facts.policies = authz::effective_policies(conversation, facts.org_policies);
    PARLEY_TRY_VOID(authz::check(actor, ConversationAction::join_by_invite, facts));
    core::Member m{conversation.id, caller.user.id, MemberRole::member, 0, clock_.now_ms()};
    PARLEY_TRY_ASSIGN(auto redeemed,
                      store_.redeem_invite(
                          crypto::hash_token(token), m, clock_.now_ms(),
                          system_message(conversation, text, caller.user.id, MemberRole::member)));
    if (!redeemed.already_member) {
        events_.publish(
            Event{"member.added", conversation.id, 0, std::nullopt, {caller.user.id}, {}});
    }
    return JoinedGroup{redeemed.conversation, redeemed.already_member};
}

}  // namespace parley::service
