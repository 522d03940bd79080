#include "app/config.hpp"

#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <expected>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "net/address.hpp"

namespace parley::app {
namespace {

using Member = std::variant<std::string Config::*, std::filesystem::path Config::*, bool Config::*,
                            int Config::*, std::size_t Config::*>;

// One row per setting. The flag parser, the TOML reader, --help and validate()'s messages all
// read this table, so a setting cannot have a flag and lack a TOML key, or the reverse.
struct Setting {
    std::string_view flag;
    std::string_view table;  // "" for a top-level key
    std::string_view key;
    std::string_view value_name;  // shown after the flag in --help; unused for on/off flags
    std::string_view help;
    Member member;
    std::string_view empty_default = "none";  // --help's default when the field starts empty
};

constexpr std::array kSettings{
    Setting{"--listen", "server", "listen", "HOST:PORT", "Address to listen on", &Config::listen},
    Setting{"--data-dir", "server", "data_dir", "DIR", "Database, files and master key live here",
            &Config::data_dir},
    Setting{"--dev", "", "dev", "",
            "Developer mode: codes go to the log, master key made on first start", &Config::dev},
    Setting{"--insecure-http", "", "insecure_http", "",
            "Allow plain HTTP off loopback (behind a TLS-terminating proxy)",
            &Config::insecure_http},
    Setting{"--tls-cert", "tls", "certificate", "FILE", "PEM certificate chain, leaf first",
            &Config::tls_certificate},
    Setting{"--tls-key", "tls", "private_key", "FILE", "PEM private key, unencrypted",
            &Config::tls_private_key},
    Setting{"--master-key", "crypto", "master_key_file", "FILE",
            "Master key that wraps every organization's data key", &Config::master_key_file,
            "<data_dir>/master.key"},
    Setting{"--log-level", "log", "level", "LEVEL",
            "trace, debug, info, warn, error, critical, off", &Config::log_level},
    Setting{"--default-region", "identity", "default_region", "CC",
            "ISO 3166 alpha-2 region for phone numbers without +", &Config::default_region},
    Setting{"--code-sender", "identity", "code_sender", "NAME",
            "How sign-in codes are sent: log (needs --dev) or webhook", &Config::code_sender},
    Setting{"--code-webhook-url", "identity", "code_webhook_url", "URL",
            "http(s) URL the webhook code sender posts to", &Config::code_webhook_url},
    Setting{"--init-org", "init", "organization", "NAME",
            "On first start, create this organization (with --init-admin)", &Config::init_org},
    Setting{"--init-admin", "init", "admin_phone", "PHONE",
            "On first start, this phone number administers --init-org", &Config::init_admin},
    Setting{"--init-region", "init", "region", "CC", "Region for an --init-admin without +",
            &Config::init_region, "default_region"},
    Setting{"--io-threads", "server", "io_threads", "N", "Threads for network I/O",
            &Config::io_threads},
    Setting{"--worker-threads", "server", "worker_threads", "N", "Threads for blocking store work",
            &Config::worker_threads},
    Setting{"--max-body-bytes", "server", "max_body_bytes", "BYTES",
            "Largest request body accepted (at least 1024)", &Config::max_body_bytes},
    Setting{"--max-upload-bytes", "server", "max_upload_bytes", "BYTES",
            "Largest CSV file accepted by an import upload (at least 1024)",
            &Config::max_upload_bytes},
    Setting{"--max-attachment-bytes", "server", "max_attachment_bytes", "BYTES",
            "Largest file accepted as an attachment (at least 1024)",
            &Config::max_attachment_bytes},
    Setting{"--idle-timeout", "server", "idle_timeout_seconds", "SECONDS",
            "Close connections idle this long", &Config::idle_timeout_seconds},
    Setting{"--sqlite-synchronous", "store", "synchronous", "MODE",
            "FULL, or NORMAL: faster, may lose the last commits on power loss",
            &Config::sqlite_synchronous},
    Setting{"--sqlite-readers", "store", "readers", "N", "SQLite read connections",
            &Config::sqlite_readers},
    Setting{"--sqlite-writer-cache-mib", "store", "writer_cache_mib", "MIB",
            "Page cache of the SQLite writer; bulk imports of many people want it large",
            &Config::sqlite_writer_cache_mib},
    Setting{"--codes-per-phone", "identity", "codes_per_phone", "N",
            "Sign-in codes one phone number may request per 15 minutes", &Config::codes_per_phone},
    Setting{"--codes-per-address", "identity", "codes_per_address", "N",
            "Sign-in codes one client address may request per 15 minutes",
            &Config::codes_per_address},
    Setting{"--web-root", "server", "web_root", "DIR",
            "The built web app served at / (scripts/build makes web/dist)", &Config::web_root,
            "<source>/web/dist"},
    Setting{"--web-origin", "stream", "web_origins", "ORIGINS",
            "Comma-separated origins (https://chat.example.com) allowed to open the stream; "
            "none: same origin only",
            &Config::web_origins},
    Setting{"--stream-max-frame", "stream", "max_frame_bytes", "BYTES",
            "Largest WebSocket frame a client may send (at least 1024)",
            &Config::stream_max_frame_bytes},
    Setting{"--card-sweep-interval", "cards", "sweep_interval_seconds", "SECONDS",
            "How often action cards past their due time are marked expired and announced",
            &Config::card_sweep_seconds},
    Setting{"--attachment-sweep-interval", "attachments", "sweep_interval_seconds", "SECONDS",
            "How often uploads never sent, attachments of deleted messages and the files no "
            "attachment names any more are removed",
            &Config::attachment_sweep_seconds},
    Setting{"--unsent-attachment-ttl", "attachments", "unsent_ttl_seconds", "SECONDS",
            "How long an upload waits to be sent (or to answer a card) before the sweep "
            "removes it",
            &Config::unsent_attachment_ttl_seconds},
    Setting{"--stream-idle-timeout", "stream", "idle_timeout_seconds", "SECONDS",
            "Close a stream connection that stays silent this long; a ping goes out halfway",
            &Config::stream_idle_timeout_seconds},
    Setting{"--stream-queue-frames", "stream", "queue_frames", "N",
            "Frames queued for one slow client before it is closed with 1013",
            &Config::stream_queue_frames},
    Setting{"--stream-queue-bytes", "stream", "queue_bytes", "BYTES",
            "Bytes queued for one slow client before it is closed with 1013 (at least 64 KiB; "
            "a resume pauses above half of it)",
            &Config::stream_queue_bytes},
    Setting{"--stream-frame-rate", "stream", "frame_rate", "N",
            "Frames per second a client may send on the stream, on average",
            &Config::stream_frame_rate},
    Setting{"--stream-frame-burst", "stream", "frame_burst", "N",
            "Frames a client may send at once above the rate; as many more refused closes "
            "it with 1008",
            &Config::stream_frame_burst},
    Setting{"--stream-resume-limit", "stream", "resume_limit", "N",
            "Missed messages sent per conversation on resume; the rest are paged over HTTP",
            &Config::stream_resume_limit},
};

// "server.listen", or "dev" for a top-level key: the dotted TOML spelling, which is also valid
// TOML, so what --help and the messages show can be pasted into the file.
std::string toml_name(const Setting& setting) {
    if (setting.table.empty()) return std::string(setting.key);
    return std::string(setting.table) + "." + std::string(setting.key);
}

// "--io-threads (server.io_threads)": names a setting both ways, since the user may have set it
// either way.
std::string describe(const Member& member) {
    for (const Setting& setting : kSettings) {
        if (setting.member == member) {
            return std::string(setting.flag) + " (" + toml_name(setting) + ")";
        }
    }
    return "?";
}

const Setting* find_setting(std::string_view table, std::string_view key) {
    for (const Setting& setting : kSettings) {
        if (setting.table == table && setting.key == key) return &setting;
    }
    return nullptr;
}

std::vector<std::string_view> table_names() {
    std::vector<std::string_view> names;
    for (const Setting& setting : kSettings) {
        if (!setting.table.empty() && std::ranges::find(names, setting.table) == names.end()) {
            names.push_back(setting.table);
        }
    }
    return names;
}

std::string join(const std::vector<std::string_view>& items) {
    std::string out;
    for (std::string_view item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

std::string keys_of(std::string_view table) {
    std::vector<std::string_view> keys;
    for (const Setting& setting : kSettings) {
        if (setting.table == table) keys.push_back(setting.key);
    }
    return join(keys);
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The "TOML: server.listen = "127.0.0.1:8080"" line under each flag in --help, with the
// default taken from Config itself so that the help cannot drift from the code.
std::string help_text(const Setting& setting) {
    static const Config defaults;
    const std::string value = std::visit(
        [](auto member) -> std::string {
            const auto& field = defaults.*member;
            using T = std::remove_cvref_t<decltype(field)>;
            if constexpr (std::is_same_v<T, bool>) {
                return field ? "true" : "false";
            } else if constexpr (std::is_integral_v<T>) {
                return std::to_string(field);
            } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
                return field.empty() ? "" : in_quotes(field.string());
            } else {
                return field.empty() ? "" : in_quotes(field);
            }
        },
        setting.member);
    std::string text = std::string(setting.help) + "\nTOML: " + toml_name(setting);
    if (value.empty()) return text + " (default: " + std::string(setting.empty_default) + ")";
    return text + " = " + value;
}

// Decimal only: CLI11's own conversion would read "010" as octal and "-1" as SIZE_MAX.
template <typename T>
std::optional<std::string> parse_whole_number(std::string_view text, T& out) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) return in_quotes(text) + " is out of range";
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        return in_quotes(text) + " is not a whole number";
    }
    out = value;
    return std::nullopt;
}

// Sets a setting from a flag's text; returns what is wrong with the text, if anything.
std::optional<std::string> set_from_flag(Config& config, const Setting& setting,
                                         const std::string& text) {
    return std::visit(
        [&](auto member) -> std::optional<std::string> {
            auto& field = config.*member;
            using T = std::remove_cvref_t<decltype(field)>;
            if constexpr (std::is_same_v<T, bool>) {
                return "is an on/off flag and takes no value";  // CLI11 binds these itself
            } else if constexpr (std::is_integral_v<T>) {
                return parse_whole_number(text, field);
            } else {
                field = text;
                return std::nullopt;
            }
        },
        setting.member);
}

std::string_view type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::none:
            return "nothing";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
    }
    return "an unknown type";
}

// Sets a setting from a TOML value; returns what is wrong with the value, if anything.
std::optional<std::string> set_from_toml(Config& config, const Setting& setting,
                                         const toml::node& node) {
    const auto wrong_type = [&](std::string_view expected) {
        return toml_name(setting) + " must be " + std::string(expected) + ", not " +
               std::string(type_name(node.type()));
    };
    return std::visit(
        [&](auto member) -> std::optional<std::string> {
            auto& field = config.*member;
            using T = std::remove_cvref_t<decltype(field)>;
            if constexpr (std::is_same_v<T, bool>) {
                const auto* value = node.as_boolean();
                if (!value) return wrong_type("a boolean (true or false)");
                field = value->get();
            } else if constexpr (std::is_integral_v<T>) {
                const auto* value = node.as_integer();
                if (!value) return wrong_type("an integer");
                if (!std::in_range<T>(value->get())) {
                    return toml_name(setting) + " = " + std::to_string(value->get()) +
                           " is out of range";
                }
                field = static_cast<T>(value->get());
            } else {
                const auto* value = node.as_string();
                if (!value) return wrong_type("a string");
                field = value->get();
            }
            return std::nullopt;
        },
        setting.member);
}

struct FileProblem {
    toml::source_position position;
    std::string message;
};

// Walks every key of the file so that an unknown one is an error rather than silently ignored.
// Collects every problem, so that one run shows them all.
std::vector<FileProblem> apply_table(Config& config, const toml::table& root) {
    std::vector<FileProblem> problems;
    const auto check = [&](const Setting& setting, const toml::node& node) {
        if (auto problem = set_from_toml(config, setting, node)) {
            problems.push_back({node.source().begin, std::move(*problem)});
        }
    };
    static const std::vector<std::string_view> tables = table_names();
    for (const auto& [key, node] : root) {
        if (const Setting* setting = find_setting("", key.str())) {
            check(*setting, node);
        } else if (std::ranges::find(tables, key.str()) == tables.end()) {
            problems.push_back({key.source().begin, "unknown key " + in_quotes(key.str()) +
                                                        " (top-level keys: " + keys_of("") +
                                                        "; tables: " + join(tables) + ")"});
        } else if (const toml::table* section = node.as_table()) {
            for (const auto& [inner_key, inner_node] : *section) {
                if (const Setting* inner = find_setting(key.str(), inner_key.str())) {
                    check(*inner, inner_node);
                } else {
                    const std::string name =
                        std::string(key.str()) + "." + std::string(inner_key.str());
                    problems.push_back({inner_key.source().begin,
                                        "unknown key " + in_quotes(name) + " (known keys in [" +
                                            std::string(key.str()) + "]: " + keys_of(key.str()) +
                                            ")"});
                }
            }
        } else {
            problems.push_back({node.source().begin, "[" + std::string(key.str()) +
                                                         "] must be a table, not " +
                                                         std::string(type_name(node.type()))});
        }
    }
    return problems;
}

std::string at(const std::string& path, const toml::source_position& position) {
    return path + ":" + std::to_string(position.line) + ":" + std::to_string(position.column) +
           ": ";
}

// Reads the --config file into config; on failure, the message to print.
std::expected<void, std::string> apply_file(Config& config, const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return std::unexpected(path + ": the config file is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        // std::error_code rather than strerror, which may use a static buffer.
        return std::unexpected(path + ": cannot open the config file: " +
                               std::error_code(errno, std::generic_category()).message());
    }
    std::ostringstream text;
    text << in.rdbuf();

    toml::table root;
    try {
        root = toml::parse(text.str(), path);
    } catch (const toml::parse_error& error) {
        return std::unexpected(at(path, error.source().begin) +
                               "TOML syntax error: " + std::string(error.description()));
    }

    std::vector<FileProblem> problems = apply_table(config, root);
    if (problems.empty()) return {};
    std::ranges::sort(problems, [](const FileProblem& a, const FileProblem& b) {
        return std::tie(a.position.line, a.position.column) <
               std::tie(b.position.line, b.position.column);
    });
    std::string message;
    for (const FileProblem& problem : problems) {
        message += at(path, problem.position) + problem.message + "\n";
    }
    message.pop_back();
    return std::unexpected(std::move(message));
}

// What the command line said about one setting. The flag parser writes into it; the values are
// applied on top of the file only for the flags that were actually given.
struct FlagValue {
    CLI::Option* option = nullptr;
    std::string text;
    bool on = false;
};

ParseOutcome usage_error(const std::string& message) {
    return ParseOutcome{std::nullopt, 2, message + "\nRun with --help to list the settings.\n"};
}

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::string to_upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool is_region(std::string_view region) {
    return region.size() == 2 && std::ranges::all_of(region, [](char c) {
               return std::isalpha(static_cast<unsigned char>(c)) != 0;
           });
}

bool is_http_url(std::string_view url) {
    for (std::string_view scheme : {"http://", "https://"}) {
        if (url.size() > scheme.size() && iequals(url.substr(0, scheme.size()), scheme) &&
            url[scheme.size()] != '/') {
            return std::ranges::none_of(
                url, [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
        }
    }
    return false;
}

std::unexpected<Error> invalid(std::string code, std::string message) {
    return fail(ErrorKind::invalid, std::move(code), std::move(message));
}

std::unexpected<Error> invalid_setting(const Member& member, const std::string& problem) {
    return invalid("invalid_setting", describe(member) + " " + problem);
}

}  // namespace

ParseOutcome parse_command_line(int argc, const char* const* argv) {
    CLI::App app{"parleyd: the Parley work-chat server", "parleyd"};
    app.footer(
        "Settings come from --config FILE (TOML) first; flags given on the command line override "
        "it.\nExample file: docs/parley.example.toml");
    app.get_formatter()->column_width(32);

    std::string config_file;
    app.add_option("--config", config_file, "Read settings from this TOML file first")
        ->type_name("FILE");

    BackupRequest backup;
    CLI::App* backup_command = app.add_subcommand(
        "backup",
        "Copy the data directory to --to DIR while the server runs (a consistent copy of the "
        "database, then the files it names); again into the same DIR copies only what is new");
    backup_command->add_option("--to", backup.to, "The backup directory (outside the data one)")
        ->type_name("DIR")
        ->required();
    backup_command->add_flag("--with-master-key", backup.with_master_key,
                             "Copy the master key too (then the backup alone opens everything)");
    // The server's settings may also come after the word: parleyd backup --data-dir D --to B.
    backup_command->fallthrough();

    std::array<FlagValue, kSettings.size()> flags;
    for (std::size_t i = 0; i < kSettings.size(); ++i) {
        const Setting& setting = kSettings[i];
        const std::string name(setting.flag);
        if (std::holds_alternative<bool Config::*>(setting.member)) {
            flags[i].option = app.add_flag(name, flags[i].on, help_text(setting));
        } else {
            flags[i].option = app.add_option(name, flags[i].text, help_text(setting))
                                  ->type_name(std::string(setting.value_name));
        }
    }

    const char* const no_arguments[] = {"parleyd"};
    try {
        if (argc < 1 || argv == nullptr) {
            app.parse(1, no_arguments);
        } else {
            app.parse(argc, argv);
        }
    } catch (const CLI::CallForHelp&) {
        return ParseOutcome{std::nullopt, 0, app.help()};
    } catch (const CLI::ParseError& error) {
        return usage_error(error.what());
    }

    Config config;
    if (!config_file.empty()) {
        if (auto applied = apply_file(config, config_file); !applied) {
            return ParseOutcome{std::nullopt, 2, applied.error() + "\n"};
        }
        config.config_file = config_file;
    }
    for (std::size_t i = 0; i < kSettings.size(); ++i) {
        if (flags[i].option->count() == 0) continue;
        if (std::holds_alternative<bool Config::*>(kSettings[i].member)) {
            config.*std::get<bool Config::*>(kSettings[i].member) = flags[i].on;
        } else if (auto problem = set_from_flag(config, kSettings[i], flags[i].text)) {
            return usage_error(std::string(kSettings[i].flag) + ": " + *problem);
        }
    }
    std::optional<BackupRequest> backup_request;
    if (backup_command->parsed()) backup_request = std::move(backup);
    return ParseOutcome{std::move(config), 0, "", std::move(backup_request)};
}

Result<Config> validate(Config config) {
    if (config.data_dir.empty()) {
        return invalid_setting(&Config::data_dir, "is empty: name the directory for the data");
    }

    PARLEY_TRY_ASSIGN(const auto endpoint, net::parse_listen_address(config.listen));
    const bool has_certificate = !config.tls_certificate.empty();
    const bool has_private_key = !config.tls_private_key.empty();
    if (has_certificate != has_private_key) {
        return invalid("tls_incomplete", "TLS needs both " + describe(&Config::tls_certificate) +
                                             " and " + describe(&Config::tls_private_key) +
                                             "; set the missing one, or neither to serve plain "
                                             "HTTP on loopback");
    }
    if (!has_certificate && !config.insecure_http && !net::is_loopback_address(endpoint.first)) {
        return invalid("tls_required", "listening on " + config.listen +
                                           ", which is not a loopback address, needs TLS: set " +
                                           describe(&Config::tls_certificate) + " and " +
                                           describe(&Config::tls_private_key) + ", or set " +
                                           describe(&Config::insecure_http) +
                                           " if a TLS-terminating proxy sits in front");
    }

    for (const auto member :
         {&Config::io_threads, &Config::worker_threads, &Config::idle_timeout_seconds,
          &Config::sqlite_readers, &Config::sqlite_writer_cache_mib, &Config::codes_per_phone,
          &Config::codes_per_address, &Config::stream_idle_timeout_seconds,
          &Config::stream_queue_frames, &Config::stream_frame_rate, &Config::stream_frame_burst,
          &Config::stream_resume_limit, &Config::card_sweep_seconds,
          &Config::attachment_sweep_seconds, &Config::unsent_attachment_ttl_seconds}) {
        if (config.*member < 1) {
            return invalid_setting(
                member, "is " + std::to_string(config.*member) + "; it must be at least 1");
        }
    }
    if (config.max_body_bytes < 1024) {
        return invalid_setting(
            &Config::max_body_bytes,
            "is " + std::to_string(config.max_body_bytes) + "; it must be at least 1024");
    }
    if (config.max_upload_bytes < 1024) {
        return invalid_setting(
            &Config::max_upload_bytes,
            "is " + std::to_string(config.max_upload_bytes) + "; it must be at least 1024");
    }
    if (config.max_attachment_bytes < 1024) {
        return invalid_setting(
            &Config::max_attachment_bytes,
            "is " + std::to_string(config.max_attachment_bytes) + "; it must be at least 1024");
    }
    if (config.stream_max_frame_bytes < 1024) {
        return invalid_setting(
            &Config::stream_max_frame_bytes,
            "is " + std::to_string(config.stream_max_frame_bytes) + "; it must be at least 1024");
    }
    if (config.stream_queue_bytes < (64 << 10)) {
        return invalid_setting(
            &Config::stream_queue_bytes,
            "is " + std::to_string(config.stream_queue_bytes) + "; it must be at least 65536");
    }
    config.sqlite_synchronous = to_upper(std::move(config.sqlite_synchronous));
    if (config.sqlite_synchronous != "FULL" && config.sqlite_synchronous != "NORMAL") {
        return invalid_setting(
            &Config::sqlite_synchronous,
            "is " + in_quotes(config.sqlite_synchronous) + "; it must be FULL or NORMAL");
    }
    // log::init would quietly fall back to info on a typo.
    constexpr std::array<std::string_view, 8> kLogLevels{"trace",   "debug", "info",     "warn",
                                                         "warning", "error", "critical", "off"};
    if (std::ranges::find(kLogLevels, config.log_level) == kLogLevels.end()) {
        return invalid_setting(&Config::log_level,
                               "is " + in_quotes(config.log_level) +
                                   "; it must be trace, debug, info, warn, error, critical or off");
    }
    if (config.init_region.empty()) config.init_region = config.default_region;
#ifdef PARLEY_DEFAULT_WEB_ROOT
    if (config.web_root.empty()) config.web_root = PARLEY_DEFAULT_WEB_ROOT;
#endif
    for (const auto member : {&Config::default_region, &Config::init_region}) {
        if (!is_region(config.*member)) {
            return invalid_setting(member, "is " + in_quotes(config.*member) +
                                               "; it must be an ISO 3166 alpha-2 region such as "
                                               "US, GB or SG");
        }
        config.*member = to_upper(std::move(config.*member));
    }

    if (config.code_sender != "log" && config.code_sender != "webhook") {
        return invalid("unknown_code_sender",
                       describe(&Config::code_sender) + " is " + in_quotes(config.code_sender) +
                           "; it must be webhook (or log, with " + describe(&Config::dev) + ")");
    }
    if (config.code_sender == "log" && !config.dev) {
        return invalid("dev_sender_requires_dev",
                       "the log code sender writes sign-in codes to the log, so it is for "
                       "development only: set " +
                           describe(&Config::code_sender) + " to webhook with " +
                           describe(&Config::code_webhook_url) + ", or set " +
                           describe(&Config::dev) + " on a developer's machine");
    }
    if (config.code_sender == "webhook" && !is_http_url(config.code_webhook_url)) {
        return invalid("webhook_url_required", "the webhook code sender needs " +
                                                   describe(&Config::code_webhook_url) +
                                                   " set to an http:// or https:// URL, not " +
                                                   in_quotes(config.code_webhook_url));
    }

    if (config.init_org.empty() != config.init_admin.empty()) {
        return invalid("init_incomplete", "creating the first organization needs both " +
                                              describe(&Config::init_org) + " and " +
                                              describe(&Config::init_admin) +
                                              "; set the missing one, or neither");
    }

    if (config.master_key_file.empty()) config.master_key_file = config.data_dir / "master.key";
    return config;
}

}  // namespace parley::app
