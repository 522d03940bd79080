#pragma once
// Domain values as the API's JSON. Field names here are a public contract (docs/openapi.yaml):
// add fields freely, rename none.

#include <nlohmann/json.hpp>

#include "core/types.hpp"
#include "service/conversation_service.hpp"
#include "service/organization_service.hpp"
#include "service/report_service.hpp"

namespace parley::http {

nlohmann::json to_json(const core::User& user);
nlohmann::json to_json(const core::Owner& owner);
nlohmann::json to_json(const core::Message& message);
nlohmann::json to_json(const core::Attachment& attachment);
// A card as every reader of its message sees it: spec and state, never results.
nlohmann::json to_json(const core::Card& card);
// A message's "reactions": {"like": {"count": n, "mine": bool}}, "mine" left out where the
// message is not read by one person (live events are serialized once for every recipient).
nlohmann::json reactions_json(std::int64_t like_count, std::optional<bool> mine);
nlohmann::json to_json(const core::Conversation& conversation);
nlohmann::json to_json(const core::ConversationSummary& summary);
nlohmann::json to_json(const core::Organization& organization);
nlohmann::json to_json(const core::ConversationPolicies& policies);
nlohmann::json to_json(const core::PolicyOverrides& overrides);
nlohmann::json to_json(const core::OrgPerson& person);
nlohmann::json to_json(const core::Invite& invite);
nlohmann::json to_json(const core::Session& session, const core::Id& current_session);
nlohmann::json to_json(const core::WorkAccount& account);
nlohmann::json to_json(const store::MemberWithUser& member);
nlohmann::json to_json(const store::HierarchyNode& node);
nlohmann::json to_json(const store::GroupHierarchy& hierarchy);
nlohmann::json to_json(const service::ConversationView& view);
// The counts that come with a member list: member_count (everyone), members_partial (the list
// shows the admins and the caller only) and, for public groups, subscriber_count.
nlohmann::json member_list_json(const service::ConversationView& view);
nlohmann::json to_json(const Error& error);
nlohmann::json to_json(const core::AttributeDefinition& attribute);
nlohmann::json to_json(const service::DirectoryPage& page);
nlohmann::json to_json(const service::PersonDetail& detail);
nlohmann::json to_json(const service::GroupsReport& report);
nlohmann::json to_json(const store::RemovedRecord& record);
nlohmann::json to_json(const core::ImportJob& job);
nlohmann::json to_json(const core::ExportJob& job);

}  // namespace parley::http
