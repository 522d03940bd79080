#pragma once
// A consistent copy of the database, taken while the server may be writing to it (parleyd
// backup). VACUUM INTO reads in one read transaction, so in WAL mode it sees one committed
// state and holds up no writer, and writes a compact new database file. Sealed columns stay
// sealed: the copy is no more readable without the master key than the original.

#include <cstdint>
#include <filesystem>

#include "common/result.hpp"

namespace parley::store::sqlite {

// Writes the database at `database`, as it was at one moment, to `into` (replacing it). The
// copy is made as "<into>.partial", synced and then renamed, so `into` is never half a
// database. Returns the copy's size in bytes. Fails with:
//   "no_database"       nothing at `database` (the data directory is not a server's);
//   "snapshot_failed"   SQLite or the file system refused (the message says which).
Result<std::uint64_t> snapshot_database(const std::filesystem::path& database,
                                        const std::filesystem::path& into);

}  // namespace parley::store::sqlite
