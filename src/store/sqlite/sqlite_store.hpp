#pragma once
// SqliteStore: the embedded Store on one SQLite file in WAL mode. Writes go through the single
// batching Writer; queries use a small pool of read-only connections, so readers never wait
// for the writer. Message bodies are sealed with per-owner data keys (crypto::KeyRing wraps
// them; only wrapped keys are stored). Thread-safe.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "crypto/key_ring.hpp"
#include "store/store.hpp"

namespace parley::store::sqlite {

struct SqliteSettings {
    std::filesystem::path path;        // the database file
    int readers = 4;                   // read-only connections
    std::size_t max_batch = 256;       // writes committed together at most
    std::string synchronous = "FULL";  // FULL: durable on power loss; NORMAL: on crash only
    // The writer's page cache. A bulk import inserts into the directory's email indexes at
    // random places; with SQLite's 2 MiB the writer read most pages back from the file for
    // each batch (100,000 people with random ids: 6.9 s of writer CPU, 5.1 s with 16 MiB).
    // Readers keep 2 MiB: every commit empties their caches anyway.
    int writer_cache_mib = 16;
    // Called with the seconds each store operation took (queueing included), for metrics.
    // Must be cheap and thread-safe.
    std::function<void(double)> observe_latency;
    // Called with every message written (sent or system), on the writer thread right after its
    // transaction commits, in commit order — hence in sequence order within a conversation, which
    // concurrent callers returning from their writes could not guarantee. Must not block and must
    // not call the store.
    std::function<void(const core::Message&)> message_committed;
    // Called with the inherited memberships each write gave or took (see InheritedChange), on
    // the writer thread right after its transaction commits. Same rules as message_committed.
    std::function<void(const InheritedChange&)> memberships_inherited;
};

// Opens (creating and migrating as needed) the database. REQUIRES: key_ring outlives the store.
Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteSettings& settings,
                                                 const crypto::KeyRing& key_ring);

}  // namespace parley::store::sqlite
