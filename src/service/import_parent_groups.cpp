// The Parent Group Mapping file (seed 001): one row per (parent group, child group) link, which
// builds the organization's hierarchy. Groups are named, not created: both must exist in the
// organization (a User Group Mapping file creates groups), and a name several groups share is a
// row error. A link that would give a group a second parent or close a cycle is a row error; a
// link that is there already is unchanged. Rows are checked against the tree as the file has
// built it so far, so a dry run reports what a real run would. Nothing is ever unlinked.

#include <map>
#include <unordered_map>

#include "authz/authz.hpp"
#include "crypto/random.hpp"
#include "service/conversation_service.hpp"
#include "service/import_kinds.hpp"

namespace parley::service {
namespace {

constexpr char kParent[] = "Parent Group Name";
constexpr char kChild[] = "Child Group Name";

struct PendingRow {
    std::size_t row = 0;
    std::string parent;
    std::string child;
};

struct GroupRef {
    core::Id id;
    std::string name;
    authz::ConversationFacts facts;  // what the tree's rules ask of the group (its type)
    bool ambiguous = false;          // several organization groups have this name
};

class ParentGroupsApplier final : public ImportApplier {
public:
    ParentGroupsApplier(ImportContext context, ImportDependencies deps,
                        const std::vector<core::Conversation>& groups,
                        const std::vector<std::pair<core::Id, core::Id>>& links)
        : context_(std::move(context)), deps_(deps) {
        for (const auto& g : groups) {
            auto [it, inserted] = groups_.emplace(
                g.name, GroupRef{g.id, g.name, authz::conversation_facts(g), false});
            if (!inserted) it->second.ambiguous = true;
        }
        for (const auto& [child, parent] : links) parent_of_[child] = parent;
        uploader_name_ =
            context_.uploader.name.empty() ? context_.uploader.phone : context_.uploader.name;
    }

    void add(const csv::Record& record) override {
        batch_.push_back({record.row(), std::string(record.get(kParent).value_or("")),
                          std::string(record.get(kChild).value_or(""))});
    }

    bool full() const override { return batch_.size() >= deps_.batch_rows; }
    bool empty() const override { return batch_.empty(); }

    // Checks and writes here: the store has the last word on each link (the tree may change
    // by API meanwhile), and later rows of the file build on the links before them.
    Result<BatchApply> check() override {
        PARLEY_TRY_ASSIGN(auto results, check_and_write());
        return already_applied(std::move(results));
    }

private:
    Result<std::vector<RowResult>> check_and_write() {
        const TimestampMs now = deps_.clock.now_ms();
        std::vector<RowResult> results(batch_.size());
        std::vector<store::GroupLinkWrite> writes;
        std::vector<std::size_t> write_rows;  // per write: the batch row
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            const auto& r = batch_[i];
            auto& result = results[i];
            result.row = r.row;
            const GroupRef* parent = lookup(result, kParent, r.parent);
            const GroupRef* child = lookup(result, kChild, r.child);
            if (!parent || !child) continue;
            auto current = parent_of_.find(child->id);
            if (current != parent_of_.end() && current->second == parent->id) {
                result.outcome = RowOutcome::unchanged;
                continue;
            }
            if (auto linkable = authz::check_linkable({parent->facts, child->facts}); !linkable) {
                const bool parent_fault = parent->facts.group_type == core::GroupType::public_;
                fail_row(result, parent_fault ? kParent : kChild, parent_fault ? r.parent : r.child,
                         linkable.error());
                continue;
            }
            if (current != parent_of_.end()) {
                fail_row(result, kChild, r.child,
                         Error{ErrorKind::conflict, "already_has_parent",
                               "\"" + child->name + "\" already has a parent group (" +
                                   name_of(current->second) + "); a group has one parent at most.",
                               std::nullopt});
                continue;
            }
            if (creates_cycle(child->id, parent->id)) {
                fail_row(result, kChild, r.child,
                         Error{ErrorKind::conflict, "hierarchy_cycle",
                               "\"" + parent->name + "\" is \"" + child->name +
                                   "\" itself or below it in the hierarchy; this link would "
                                   "make a cycle.",
                               std::nullopt});
                continue;
            }
            parent_of_[child->id] = parent->id;  // later rows see the tree as built so far
            if (context_.job.dry_run) continue;
            writes.push_back(link_write(*parent, *child, now));
            write_rows.push_back(i);
        }

        if (!writes.empty()) {
            PARLEY_TRY_ASSIGN(auto written, deps_.store.import_group_links(writes, now));
            for (std::size_t w = 0; w < written.size(); ++w) {
                auto& result = results[write_rows[w]];
                const auto& link = writes[w];
                if (written[w].error) {
                    // The tree changed meanwhile (a link by API): the store's word stands.
                    parent_of_.erase(link.child_id);
                    fail_row(result, kChild, batch_[write_rows[w]].child, *written[w].error);
                    continue;
                }
                for (const auto& id : {link.child_id, link.parent_id}) {
                    deps_.events.publish(Event{
                        "conversation.updated", id, 0, std::nullopt, {}, context_.organization.id});
                }
            }
        }
        batch_.clear();
        return results;
    }

    // The organization's one group of that name, or nullptr with the row failed.
    const GroupRef* lookup(RowResult& result, const char* column, const std::string& value) {
        auto name = ConversationService::clean_name(value);
        if (!name) {
            fail_row(result, column, value, name.error());
            return nullptr;
        }
        auto it = groups_.find(*name);
        if (it == groups_.end()) {
            fail_row(result, column, value,
                     Error{ErrorKind::not_found, "group_not_found",
                           "The organization has no group named \"" + *name +
                               "\"; create it first (a User Group Mapping file creates groups).",
                           std::nullopt});
            return nullptr;
        }
        if (it->second.ambiguous) {
            fail_row(result, column, value,
                     Error{ErrorKind::conflict, "ambiguous_group",
                           "The organization has several groups named \"" + *name +
                               "\"; rename all but one first.",
                           std::nullopt});
            return nullptr;
        }
        return &it->second;
    }

    // True if parent is child or one of its descendants, i.e. child is parent or above it.
    bool creates_cycle(const core::Id& child, const core::Id& parent) const {
        core::Id at = parent;
        for (std::size_t steps = 0; steps <= parent_of_.size(); ++steps) {
            if (at == child) return true;
            auto up = parent_of_.find(at);
            if (up == parent_of_.end()) return false;
            at = up->second;
        }
        return true;  // a cycle already, which links never make: refuse rather than loop
    }

    std::string name_of(const core::Id& id) const {
        for (const auto& [name, ref] : groups_) {
            if (ref.id == id) return "\"" + name + "\"";
        }
        return id;
    }

    store::GroupLinkWrite link_write(const GroupRef& parent, const GroupRef& child,
                                     TimestampMs now) const {
        auto announcement = [&](const core::Id& group, std::string text) {
            core::Message m;
            m.id = crypto::new_id("msg");
            m.conversation_id = group;
            m.kind = core::MessageKind::system;
            m.text = std::move(text);
            m.owner = core::Owner::organization(context_.organization.id);
            m.created_at = now;
            return m;
        };
        store::GroupLinkWrite w{child.id, parent.id, {}};
        w.announcements.push_back(announcement(
            child.id, uploader_name_ + " made this group a child group of " + parent.name +
                          " from a CSV upload: messages posted there now reach this group's "
                          "members too."));
        w.announcements.push_back(announcement(
            parent.id,
            uploader_name_ + " added " + child.name + " as a child group from a CSV upload."));
        return w;
    }

    ImportContext context_;
    ImportDependencies deps_;
    std::map<std::string, GroupRef> groups_;            // by exact (cleaned) name
    std::unordered_map<core::Id, core::Id> parent_of_;  // child → parent, as built so far
    std::string uploader_name_;
    std::vector<PendingRow> batch_;
};

class ParentGroupsKind final : public ImportFileKind {
public:
    core::ImportKind kind() const override { return core::ImportKind::parent_groups; }

    csv::ColumnSpec columns(const std::vector<core::AttributeDefinition>&) const override {
        return {{kParent, kChild}, {}};
    }

    std::vector<std::vector<std::string>> template_rows(
        const core::Organization&, const std::vector<core::AttributeDefinition>&) const override {
        return {{kParent, kChild}, {"All Sales", "North Sales"}, {"All Sales", "South Sales"}};
    }

    Result<std::unique_ptr<ImportApplier>> start(ImportContext context,
                                                 ImportDependencies deps) const override {
        PARLEY_TRY_ASSIGN(auto groups,
                          deps.store.list_organization_groups(context.organization.id));
        PARLEY_TRY_ASSIGN(auto links, deps.store.list_group_links(context.organization.id));
        return std::unique_ptr<ImportApplier>(
            new ParentGroupsApplier(std::move(context), deps, groups, links));
    }
};

}  // namespace

const ImportFileKind& parent_groups_import_kind() {
    static const ParentGroupsKind kind;
    return kind;
}

}  // namespace parley::service
