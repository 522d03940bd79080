#pragma once
// Versioned schema migrations for the SQLite store. Each migration runs once, in order, in its
// own transaction, and is recorded in schema_migrations. Never edit a released migration: add
// the next one. The schema keeps to what PostgreSQL also has (TEXT ids, INTEGER times in ms,
// BLOB/BYTEA bodies) so that store/postgres/ is a second implementation, not a rewrite.

#include "store/sqlite/db.hpp"

namespace parley::store::sqlite {

// Applies every migration newer than the database's version. Refuses a database written by a
// newer Parley (code "schema_too_new").
Result<int> migrate(Connection& connection);

int latest_schema_version();

}  // namespace parley::store::sqlite
