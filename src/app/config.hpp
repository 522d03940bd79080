#pragma once
// parleyd's settings: one struct filled from an optional TOML file and the command line, and the
// checks that refuse unsafe or contradictory combinations before anything starts. Every setting
// has both a flag and a TOML key, and `parleyd --help` lists them with their defaults. Plain
// functions without shared state (parse_command_line reads only the --config file): thread-safe.
//
// Example file (also docs/parley.example.toml). Top-level keys must come before the first
// [table], because TOML puts every key after a header into that table:
//
//     dev = false
//     insecure_http = false
//
//     [server]
//     listen = "127.0.0.1:8080"
//     data_dir = "./data"
//
//     [identity]
//     default_region = "SG"
//     code_sender = "webhook"
//     code_webhook_url = "https://sms-gateway.internal/send"
//
//     [init]
//     organization = "Contoso"
//     admin_phone = "+6599885544"
//
// The other tables are [tls], [crypto], [log] and [store]; Config below lists every key. Relative
// paths are relative to the working directory, in the file as on the command line.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace parley::app {

// Every setting, with its flag and its TOML key ("server.listen" is listen in [server]). Notes:
//  - dev: conveniences for a developer's machine (the "log" code sender, a master key created on
//    first start); never for a server people use.
//  - insecure_http: plain HTTP on a non-loopback address, for a server behind a TLS-terminating
//    proxy.
//  - master_key_file and init_region: empty means <data_dir>/master.key and default_region;
//    validate() fills them in.
//  - default_region: ISO 3166 alpha-2 region for phone numbers written without a leading +.
//  - code_sender: "log" (dev only: sign-in codes are written to the log) or "webhook".
//  - init_org, init_admin: on first start, with an empty store, create this organization with
//    this phone number as its admin.
//  - worker_threads: run the blocking store work, never on the io threads.
struct Config {
    std::string listen = "127.0.0.1:8080";      // --listen             server.listen
    std::filesystem::path data_dir = "./data";  // --data-dir           server.data_dir
    bool dev = false;                           // --dev                dev
    bool insecure_http = false;                 // --insecure-http      insecure_http
    std::string tls_certificate;                // --tls-cert           tls.certificate (PEM)
    std::string tls_private_key;                // --tls-key            tls.private_key (PEM)
    std::filesystem::path master_key_file;      // --master-key         crypto.master_key_file
    std::string log_level = "info";             // --log-level          log.level
    std::string default_region = "US";          // --default-region     identity.default_region
    std::string code_sender = "log";            // --code-sender        identity.code_sender
    std::string code_webhook_url;               // --code-webhook-url   identity.code_webhook_url
    std::string init_org;                       // --init-org           init.organization
    std::string init_admin;                     // --init-admin         init.admin_phone
    std::string init_region;                    // --init-region        init.region
    int io_threads = 2;                         // --io-threads         server.io_threads
    int worker_threads = 64;                    // --worker-threads     server.worker_threads
    std::size_t max_body_bytes = 1 << 20;       // --max-body-bytes     server.max_body_bytes
    std::size_t max_upload_bytes = 50 << 20;    // --max-upload-bytes   server.max_upload_bytes
    std::size_t max_attachment_bytes = 100
                                       << 20;  // --max-attachment-bytes server.max_attachment_bytes
    int idle_timeout_seconds = 60;             // --idle-timeout       server.idle_timeout_seconds
    std::string sqlite_synchronous = "FULL";   // --sqlite-synchronous store.synchronous
    int sqlite_readers = 4;                    // --sqlite-readers     store.readers
    int sqlite_writer_cache_mib = 16;          // --sqlite-writer-cache-mib store.writer_cache_mib
    int codes_per_phone = 5;     // --codes-per-phone    identity.codes_per_phone (per 15 min)
    int codes_per_address = 30;  // --codes-per-address  identity.codes_per_address (per 15 min)
    // Origins (scheme://host[:port], comma-separated) whose pages may open the WebSocket stream;
    // empty: same origin only.
    std::string web_origins;                        // --web-origin         stream.web_origins
    std::size_t stream_max_frame_bytes = 64 << 10;  // --stream-max-frame  stream.max_frame_bytes
    int stream_idle_timeout_seconds = 60;      // --stream-idle-timeout  stream.idle_timeout_seconds
    int stream_queue_frames = 4096;            // --stream-queue-frames  stream.queue_frames
    std::size_t stream_queue_bytes = 8 << 20;  // --stream-queue-bytes  stream.queue_bytes
    int stream_frame_rate = 20;                // --stream-frame-rate   stream.frame_rate
    int stream_frame_burst = 60;               // --stream-frame-burst  stream.frame_burst
    int stream_resume_limit = 200;             // --stream-resume-limit stream.resume_limit
    // How often cards past their due time are marked expired and announced (card.updated);
    // reads treat a due card as expired at once either way.
    int card_sweep_seconds = 30;  // --card-sweep-interval  cards.sweep_interval_seconds
    // Uploads not sent within the TTL, attachments of deleted messages, and the blobs no
    // attachment names are removed every sweep interval (a blob written or reused within the
    // TTL is kept: its row may not exist yet).
    int attachment_sweep_seconds = 3600;  // --attachment-sweep-interval  attachments.sweep_…
    int unsent_attachment_ttl_seconds = 24 * 3600;  // --unsent-attachment-ttl  attachments.…
    std::string config_file;                        // --config FILE: where the settings came from
    // --web-root DIR (server.web_root): the built web app served at /. Empty: the web/dist of the
    // source tree this parleyd was built from (PARLEY_DEFAULT_WEB_ROOT), where scripts/build
    // puts it.
    std::filesystem::path web_root;
};

// What parse_command_line decided. config is set only when the server should start; otherwise
// the caller prints output (to stdout for exit_code 0, to stderr otherwise) and exits with
// exit_code.
// `parleyd backup --to DIR [--with-master-key]` (see app/backup.hpp).
struct BackupRequest {
    std::filesystem::path to;
    bool with_master_key = false;
};

struct ParseOutcome {
    std::optional<Config> config;
    int exit_code = 0;
    std::string output;
    // Set when the command line asks for a backup rather than a server.
    std::optional<BackupRequest> backup;
};

// Reads `--config FILE` (TOML) first, then lets every flag given on the command line override
// it. `--help` / `-h`: exit_code 0 and the help text, which lists every flag with its TOML key
// and default. A bad flag or value, an unreadable file, a TOML syntax error, a value of the wrong
// type or an unknown key (so that a typo never falls back to a default silently): exit_code 2 and
// a message naming the problem; for the file, one "file:line:column: ..." line per problem.
// The result is not validated yet: pass it to validate().
ParseOutcome parse_command_line(int argc, const char* const* argv);

// Refuses unsafe or contradictory settings, returning the first problem found. Every error is
// ErrorKind::invalid with one of these codes and a message that says what to change:
//   "invalid_listen_address"   listen is not host:port ("127.0.0.1:8080", "[::1]:8080",
//                              "localhost:8080", "0.0.0.0:443")
//   "tls_incomplete"           only one of tls_certificate / tls_private_key
//   "tls_required"             a non-loopback listen address without TLS or insecure_http
//                              (loopback: 127.0.0.0/8, ::1, localhost)
//   "invalid_setting"          a thread, reader or timeout count < 1, max_body_bytes < 1024,
//                              max_upload_bytes or max_attachment_bytes < 1024,
//                              sqlite_synchronous not FULL/NORMAL, a region that is not two
//                              letters, an unknown log_level, an empty data_dir
//   "unknown_code_sender"      code_sender neither "log" nor "webhook"
//   "dev_sender_requires_dev"  code_sender "log" without dev
//   "webhook_url_required"     code_sender "webhook" without an http:// or https:// URL
//   "init_incomplete"          only one of init_org / init_admin
// On success returns the config with its derived defaults filled in: master_key_file
// (<data_dir>/master.key), init_region (default_region), and regions and sqlite_synchronous
// upper-cased.
Result<Config> validate(Config config);

}  // namespace parley::app
