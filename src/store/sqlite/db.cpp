#include "store/sqlite/db.hpp"

#include "common/log.hpp"

namespace parley::store::sqlite {

Statement::~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

void Statement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }

Result<bool> Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(sqlite_error(sqlite3_db_handle(stmt_), rc, sqlite3_sql(stmt_)));
}

Result<void> Statement::run() {
    for (;;) {
        auto more = step();
        if (!more) return std::unexpected(more.error());
        if (!*more) return ok();
    }
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

std::string Statement::blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

std::optional<std::int64_t> Statement::optional_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
}

std::optional<std::string> Statement::optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool read_only,
                                                     const std::string& synchronous,
                                                     int cache_mib) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX |
                (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(ErrorKind::internal, "store_open_failed",
                    "Cannot open the database " + path + ": " + message);
    }
    std::unique_ptr<Connection> conn(new Connection(db));
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_extended_result_codes(db, 1);
    std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    if (!read_only) {
        pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous + ";";
    } else {
        pragmas += "PRAGMA query_only=ON;";
    }
    // Negative: a size in KiB rather than in pages.
    if (cache_mib > 0) pragmas += "PRAGMA cache_size=-" + std::to_string(cache_mib * 1024) + ";";
    PARLEY_TRY_VOID(conn->exec(pragmas));
    return conn;
}

Connection::~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Statement>> Connection::prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_, rc, sql));
        it = cache_.emplace(sql, stmt).first;
    }
    return std::make_unique<Statement>(it->second);
}

Result<void> Connection::exec(std::string_view sql) {
    std::string owned(sql);
    int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_, rc, owned));
    return ok();
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

Error sqlite_error(sqlite3* db, int rc, std::string_view context) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return Error{ErrorKind::conflict, "constraint_violation",
                     "That would conflict with existing data: " + detail, std::nullopt};
    }
    spdlog::error("sqlite error {} ({}) in: {}", rc, detail, context.substr(0, 200));
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        return Error{ErrorKind::unavailable, "store_busy",
                     "The database is busy; retry in a moment.", 1};
    }
    return Error{ErrorKind::internal, "store_error", "The database failed; see the server log.",
                 std::nullopt};
}

}  // namespace parley::store::sqlite
