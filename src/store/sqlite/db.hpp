#pragma once
// Thin RAII wrappers over one SQLite connection and its prepared statements. Statements are
// prepared once per connection and cached by their SQL text (SQL lives in named constants in
// sqlite_store.cpp). Values only ever reach SQL as bound parameters.
// A Connection is used by one thread at a time (the writer, or a reader checked out of the
// pool); it is not thread-safe.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace parley::store::sqlite {

// A reset-on-destruction handle to a cached prepared statement.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, std::int64_t value);
    void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
    void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    void bind(int index, std::string_view text);
    void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
    void bind(int index, const char* text) { bind(index, std::string_view(text)); }
    void bind_blob(int index, std::string_view bytes);
    void bind_null(int index);
    template <typename T>
    void bind(int index, const std::optional<T>& value) {
        if (value) {
            bind(index, *value);
        } else {
            bind_null(index);
        }
    }

    // Binds each argument to ?1, ?2, … in order.
    template <typename... Args>
    void bind_all(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
    }

    // Steps once: true if a row is ready, false when done; an error on failure.
    Result<bool> step();
    // Steps to completion (for statements without rows).
    Result<void> run();

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    std::optional<std::int64_t> optional_int64(int col) const;
    std::optional<std::string> optional_text(int col) const;

private:
    sqlite3_stmt* stmt_;
};

class Connection {
public:
    // Opens (creating if asked) the database at path with WAL, foreign keys and a busy timeout.
    // cache_mib sizes its page cache; 0 keeps SQLite's default (2 MiB).
    static Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only,
                                                    const std::string& synchronous,
                                                    int cache_mib = 0);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A cached prepared statement for sql; bind and step it, then let it go out of scope.
    Result<std::unique_ptr<Statement>> prepare(const char* sql);
    // Runs one or more statements without parameters (schema, pragmas, transactions).
    Result<void> exec(std::string_view sql);
    std::int64_t changes() const;
    sqlite3* handle() const { return db_; }

    // Work to do once the current transaction has committed — announcing what it wrote — in
    // the order it was registered. The writer runs it after COMMIT and drops what a rolled-back
    // savepoint or transaction registered (marks come from after_commit_count()).
    void after_commit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }
    std::size_t after_commit_count() const { return after_commit_.size(); }
    void drop_after_commit(std::size_t from_mark) { after_commit_.resize(from_mark); }
    std::vector<std::function<void()>> take_after_commit() {
        return std::exchange(after_commit_, {});
    }

private:
    explicit Connection(sqlite3* db) : db_(db) {}
    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
    std::vector<std::function<void()>> after_commit_;
};

// Maps a SQLite result code to our Error: constraint violations are conflicts, the rest
// internal. The message is logged in full and kept generic for clients.
Error sqlite_error(sqlite3* db, int rc, std::string_view context);

}  // namespace parley::store::sqlite
