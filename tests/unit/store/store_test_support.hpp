#pragma once
// Shared fixture for the store tests: a real SqliteStore on a throwaway file in a private temp
// directory, a KeyRing the test keeps (so it can unwrap what the store wrapped), builders for
// users, organizations, conversations and message drafts, and RawDb, a plain sqlite3 handle for
// looking at (or tampering with) what is actually on disk. Not thread-safe, except that the
// Store itself may be used from many threads.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"
#include "crypto/key_ring.hpp"
#include "crypto/random.hpp"
#include "fakes/temp_dir.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace parley {
// gtest prints error kinds by name in failure messages.
inline void PrintTo(ErrorKind kind, std::ostream* os) { *os << to_string(kind); }
}  // namespace parley

namespace parley::store::testing {

using parley::testing::TempDir;

// The value of a Result, or an exception (which gtest reports as a failure of the test) naming
// the error. For set-up steps whose failure makes the rest of the test meaningless.
template <typename T>
T must(Result<T> result, const char* what = "store call") {
    if (!result) {
        throw std::runtime_error(std::string(what) + " failed: " + result.error().code + ": " +
                                 result.error().message);
    }
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

template <typename R>
void expect_error(const R& result, ErrorKind kind, const std::string& code) {
    ASSERT_FALSE(result.has_value()) << "expected error " << code;
    EXPECT_EQ(result.error().kind, kind) << to_string(result.error().kind) << " "
                                         << result.error().code << ": " << result.error().message;
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_FALSE(result.error().message.empty());
}

// The whole file as bytes; empty if it does not exist.
inline std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A direct connection to the database file, bypassing the store. Throws on any error.
class RawDb {
public:
    explicit RawDb(const std::filesystem::path& path) {
        if (sqlite3_open_v2(path.string().c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) !=
            SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("RawDb open: " + message);
        }
        sqlite3_busy_timeout(db_, 10'000);
    }
    ~RawDb() { sqlite3_close_v2(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error("RawDb exec: " + message + " in " + sql);
        }
    }

    // Every row, each column as its bytes (NULL as an empty string); params bound as text.
    std::vector<std::vector<std::string>> rows(const std::string& sql,
                                               const std::vector<std::string>& params = {}) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("RawDb prepare: ") + sqlite3_errmsg(db_));
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].c_str(),
                              static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
        }
        std::vector<std::vector<std::string>> out;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int col = 0; col < sqlite3_column_count(stmt); ++col) {
                const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, col));
                row.emplace_back(
                    p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)))
                      : std::string());
            }
            out.push_back(std::move(row));
        }
        std::string message = sqlite3_errmsg(db_);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) throw std::runtime_error("RawDb step: " + message);
        return out;
    }

    std::int64_t scalar(const std::string& sql, const std::vector<std::string>& params = {}) {
        auto r = rows(sql, params);
        if (r.empty() || r[0].empty()) throw std::runtime_error("RawDb scalar: no row: " + sql);
        return std::stoll(r[0][0]);
    }

private:
    sqlite3* db_ = nullptr;
};

class StoreTest : public ::testing::Test {
protected:
    StoreTest() { reopen(); }

    std::filesystem::path db_path() const { return dir_.path() / "parley.db"; }
    std::filesystem::path wal_path() const { return dir_.path() / "parley.db-wal"; }

    sqlite::SqliteSettings settings() const {
        sqlite::SqliteSettings s;
        s.path = db_path();
        s.readers = 3;
        s.synchronous = "OFF";  // a throwaway database
        return s;
    }

    // The store keeps a reference to the KeyRing: it must outlive the store.
    Result<std::unique_ptr<Store>> open_with(const crypto::KeyRing& ring) {
        return sqlite::open_sqlite_store(settings(), ring);
    }

    void reopen() { reopen_with(key_ring_); }
    void reopen_with(const crypto::KeyRing& ring) {
        store_.reset();
        store_ = must(open_with(ring), "open_sqlite_store");
    }
    void close() { store_.reset(); }

    Store& store() { return *store_; }

    TimestampMs tick() { return now_ += 1'000; }

    std::string next_phone() { return "+659" + std::to_string(1000000 + phone_counter_++); }

    core::User make_user(const std::string& name) {
        return must(store().ensure_user(next_phone(), name), "ensure_user");
    }

    core::Organization make_org(const std::string& name) {
        core::Organization org;
        org.id = crypto::new_id("org");
        org.name = name;
        org.default_region = "SG";
        org.created_at = tick();
        must(store().create_organization(org), "create_organization");
        return org;
    }

    core::OrgPerson add_person(const core::Organization& org, const core::User& user,
                               const std::string& email = "",
                               core::OrgRole role = core::OrgRole::member) {
        core::OrgPerson p;
        p.organization_id = org.id;
        p.user_id = user.id;
        p.name = user.name;
        p.email = email;
        p.role = role;
        p.added_at = tick();
        return must(store().upsert_person(p), "upsert_person");
    }

    static core::Member member_of(const core::Conversation& c, const core::User& u,
                                  core::MemberRole role = core::MemberRole::member,
                                  TimestampMs at = 0) {
        return core::Member{c.id, u.id, role, 0, at};
    }

    core::Message system_message(const core::Conversation& c, const std::string& text) {
        core::Message m;
        m.id = crypto::new_id("msg");
        m.conversation_id = c.id;
        m.kind = core::MessageKind::system;
        m.text = text;
        m.owner = c.owner;
        m.created_at = tick();
        return m;
    }

    // A group whose creator is its admin and the others members; created with an announcement
    // (so its last_seq is 1) when announce is set.
    core::Conversation make_group(const core::User& creator,
                                  const std::vector<core::User>& others = {},
                                  core::Owner owner = core::Owner::private_owner(),
                                  const std::string& name = "Group", bool announce = false) {
        core::Conversation c;
        c.id = crypto::new_id("cnv");
        c.kind = core::ConversationKind::group;
        c.name = name;
        c.owner = std::move(owner);
        c.created_by = creator.id;
        c.created_at = tick();
        c.last_activity_at = c.created_at;
        std::vector<core::Member> members{
            member_of(c, creator, core::MemberRole::admin, c.created_at)};
        for (const auto& u : others)
            members.push_back(member_of(c, u, core::MemberRole::member, c.created_at));
        std::optional<core::Message> announcement;
        if (announce) announcement = system_message(c, creator.name + " created " + name);
        must(store().create_conversation(c, "", members, announcement), "create_conversation");
        if (announce) c.last_seq = 1;
        return c;
    }

    static std::string chat_key_of(const core::User& a, const core::User& b,
                                   const core::Owner& owner) {
        return "chat:" + (a.id < b.id ? a.id + ":" + b.id : b.id + ":" + a.id) + ":" +
               (owner.is_organization() ? owner.organization_id : "private");
    }

    core::Conversation make_chat(const core::User& a, const core::User& b,
                                 core::Owner owner = core::Owner::private_owner()) {
        core::Conversation c;
        c.id = crypto::new_id("cnv");
        c.kind = core::ConversationKind::chat;
        c.owner = owner;
        c.created_by = a.id;
        c.created_at = tick();
        c.last_activity_at = c.created_at;
        must(store().create_conversation(c, chat_key_of(a, b, owner),
                                         {member_of(c, a), member_of(c, b)}, std::nullopt),
             "create_conversation(chat)");
        return c;
    }

    core::Message draft(const core::Conversation& c, const core::User& sender,
                        const std::string& text, const std::string& client_id = "") {
        core::Message m;
        m.id = crypto::new_id("msg");
        m.conversation_id = c.id;
        m.sender_id = sender.id;
        m.kind = core::MessageKind::text;
        m.text = text;
        m.client_id = client_id;
        m.owner = c.owner;
        m.created_at = tick();
        return m;
    }

    // Appends a new text message and returns it as stored.
    core::Message post(const core::Conversation& c, const core::User& sender,
                       const std::string& text, const std::string& client_id = "") {
        auto appended =
            must(store().append_message(draft(c, sender, text, client_id)), "append_message");
        if (appended.duplicate) throw std::runtime_error("unexpected duplicate");
        return appended.message;
    }

    std::vector<core::Message> all_messages(const core::Id& conversation_id) {
        MessageRange range;
        range.limit = 1'000'000;
        return must(store().list_messages(conversation_id, range), "list_messages");
    }

    core::Conversation conversation(const core::Id& id) {
        auto found = must(store().find_conversation(id), "find_conversation");
        if (!found) throw std::runtime_error("no conversation " + id);
        return *found;
    }

    std::optional<core::Member> member(const core::Id& conversation_id, const core::Id& user_id) {
        return must(store().find_member(conversation_id, user_id), "find_member");
    }

    TempDir dir_;
    crypto::KeyRing key_ring_ = crypto::KeyRing::from_key(crypto::DataKey::generate());
    TimestampMs now_ = 1'700'000'000'000;
    int phone_counter_ = 0;
    std::unique_ptr<Store> store_;
};

}  // namespace parley::store::testing
