#include "app/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace parley::app {
namespace {

using ::testing::HasSubstr;

ParseOutcome parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"parleyd"};
    argv.insert(argv.end(), args);
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// A TOML file in the temp directory for the length of one test.
class TomlFile {
public:
    explicit TomlFile(std::string_view content) {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = (std::filesystem::temp_directory_path() /
                 (std::string("parley_config_test_") + test->name() + "_" +
                  std::to_string(::getpid()) + ".toml"))
                    .string();
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~TomlFile() { std::filesystem::remove(path_); }
    TomlFile(const TomlFile&) = delete;
    TomlFile& operator=(const TomlFile&) = delete;

    const char* path() const { return path_.c_str(); }

private:
    std::string path_;
};

// The exit-2 outcome of parsing `--config` with this file content.
std::string file_error(std::string_view content) {
    TomlFile file(content);
    const ParseOutcome outcome = parse({"--config", file.path()});
    EXPECT_FALSE(outcome.config);
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.output, HasSubstr(file.path()));
    return outcome.output;
}

// ---- parse_command_line -------------------------------------------------------------------------

TEST(ParseCommandLine, NoArgumentsGivesTheDefaults) {
    const ParseOutcome outcome = parse({});
    ASSERT_TRUE(outcome.config) << outcome.output;
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.output, "");
    const Config& c = *outcome.config;
    EXPECT_EQ(c.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.data_dir, "./data");
    EXPECT_FALSE(c.dev);
    EXPECT_FALSE(c.insecure_http);
    EXPECT_EQ(c.tls_certificate, "");
    EXPECT_EQ(c.tls_private_key, "");
    EXPECT_EQ(c.master_key_file, "");
    EXPECT_EQ(c.log_level, "info");
    EXPECT_EQ(c.default_region, "US");
    EXPECT_EQ(c.code_sender, "log");
    EXPECT_EQ(c.code_webhook_url, "");
    EXPECT_EQ(c.init_org, "");
    EXPECT_EQ(c.init_admin, "");
    EXPECT_EQ(c.init_region, "");
    EXPECT_EQ(c.io_threads, 2);
    EXPECT_EQ(c.worker_threads, 64);
    EXPECT_EQ(c.max_body_bytes, 1u << 20);
    EXPECT_EQ(c.max_upload_bytes, 50u << 20);
    EXPECT_EQ(c.idle_timeout_seconds, 60);
    EXPECT_EQ(c.sqlite_synchronous, "FULL");
    EXPECT_EQ(c.sqlite_readers, 4);
    EXPECT_EQ(c.sqlite_writer_cache_mib, 16);
    EXPECT_EQ(c.config_file, "");
}

TEST(ParseCommandLine, NoArgvAtAllGivesTheDefaults) {
    const ParseOutcome outcome = parse_command_line(0, nullptr);
    ASSERT_TRUE(outcome.config);
    EXPECT_EQ(outcome.config->listen, "127.0.0.1:8080");
}

TEST(ParseCommandLine, ReadsEveryFlag) {
    // One flag and its value per line.
    // clang-format off
    const ParseOutcome outcome = parse({
        "--listen", "0.0.0.0:443",
        "--data-dir", "/var/lib/parley",
        "--dev",
        "--insecure-http",
        "--tls-cert", "/etc/parley/cert.pem",
        "--tls-key", "/etc/parley/key.pem",
        "--master-key", "/etc/parley/master.key",
        "--log-level", "debug",
        "--default-region", "SG",
        "--code-sender", "webhook",
        "--code-webhook-url", "https://gw/send",
        "--init-org", "Contoso",
        "--init-admin", "+6599885544",
        "--init-region", "MY",
        "--io-threads", "4",
        "--worker-threads", "16",
        "--max-body-bytes", "4096",
        "--max-upload-bytes", "8192",
        "--idle-timeout", "30",
        "--sqlite-synchronous", "NORMAL",
        "--sqlite-readers=8",
        "--sqlite-writer-cache-mib", "64",
        "--web-origin", "https://chat.example.com,https://portal.example.com",
        "--stream-max-frame", "2048",
        "--stream-idle-timeout", "90",
        "--stream-queue-frames", "100",
        "--stream-queue-bytes", "131072",
        "--stream-frame-rate", "5",
        "--stream-frame-burst", "7",
        "--stream-resume-limit", "50",
    });
    // clang-format on
    ASSERT_TRUE(outcome.config) << outcome.output;
    const Config& c = *outcome.config;
    EXPECT_EQ(c.listen, "0.0.0.0:443");
    EXPECT_EQ(c.data_dir, "/var/lib/parley");
    EXPECT_TRUE(c.dev);
    EXPECT_TRUE(c.insecure_http);
    EXPECT_EQ(c.tls_certificate, "/etc/parley/cert.pem");
    EXPECT_EQ(c.tls_private_key, "/etc/parley/key.pem");
    EXPECT_EQ(c.master_key_file, "/etc/parley/master.key");
    EXPECT_EQ(c.log_level, "debug");
    EXPECT_EQ(c.default_region, "SG");
    EXPECT_EQ(c.code_sender, "webhook");
    EXPECT_EQ(c.code_webhook_url, "https://gw/send");
    EXPECT_EQ(c.init_org, "Contoso");
    EXPECT_EQ(c.init_admin, "+6599885544");
    EXPECT_EQ(c.init_region, "MY");
    EXPECT_EQ(c.io_threads, 4);
    EXPECT_EQ(c.worker_threads, 16);
    EXPECT_EQ(c.max_body_bytes, 4096u);
    EXPECT_EQ(c.max_upload_bytes, 8192u);
    EXPECT_EQ(c.idle_timeout_seconds, 30);
    EXPECT_EQ(c.sqlite_synchronous, "NORMAL");
    EXPECT_EQ(c.sqlite_readers, 8);
    EXPECT_EQ(c.sqlite_writer_cache_mib, 64);
    EXPECT_EQ(c.web_origins, "https://chat.example.com,https://portal.example.com");
    EXPECT_EQ(c.stream_max_frame_bytes, 2048u);
    EXPECT_EQ(c.stream_idle_timeout_seconds, 90);
    EXPECT_EQ(c.stream_queue_frames, 100);
    EXPECT_EQ(c.stream_queue_bytes, 131072u);
    EXPECT_EQ(c.stream_frame_rate, 5);
    EXPECT_EQ(c.stream_frame_burst, 7);
    EXPECT_EQ(c.stream_resume_limit, 50);
    EXPECT_EQ(c.config_file, "");
}

TEST(ParseCommandLine, NumbersAreDecimal) {
    // CLI11's own conversion would read these as octal 8 and SIZE_MAX.
    const ParseOutcome outcome = parse({"--io-threads", "010", "--idle-timeout=-5"});
    ASSERT_TRUE(outcome.config) << outcome.output;
    EXPECT_EQ(outcome.config->io_threads, 10);
    EXPECT_EQ(outcome.config->idle_timeout_seconds, -5);  // validate() refuses it
}

TEST(ParseCommandLine, RefusesBadFlagsWithExitCode2) {
    const std::vector<std::pair<std::vector<const char*>, std::string>> cases = {
        {{"--io-threads", "abc"}, "--io-threads"},
        {{"--io-threads", "1.5"}, "--io-threads"},
        {{"--io-threads", "0x10"}, "--io-threads"},
        {{"--io-threads", ""}, "--io-threads"},
        {{"--worker-threads", "99999999999"}, "out of range"},
        {{"--max-body-bytes=-1"}, "--max-body-bytes"},
        {{"--sqlite-readers", " 4"}, "--sqlite-readers"},
        {{"--no-such-flag"}, "--no-such-flag"},
        {{"stray"}, "stray"},
        {{"--listen"}, "--listen"},
        {{"--listen", "a:1", "--listen", "b:2"}, "--listen"},
        {{"--dev=maybe"}, "--dev"},
    };
    for (const auto& [args, expected] : cases) {
        std::vector<const char*> argv{"parleyd"};
        argv.insert(argv.end(), args.begin(), args.end());
        const ParseOutcome outcome = parse_command_line(static_cast<int>(argv.size()), argv.data());
        EXPECT_FALSE(outcome.config) << expected;
        EXPECT_EQ(outcome.exit_code, 2) << expected;
        EXPECT_THAT(outcome.output, HasSubstr(expected));
        EXPECT_THAT(outcome.output, HasSubstr("--help"));
    }
}

TEST(ParseCommandLine, HelpListsEveryFlagWithItsTomlKeyAndDefault) {
    for (const char* help : {"--help", "-h"}) {
        const ParseOutcome outcome = parse({help});
        EXPECT_FALSE(outcome.config);
        EXPECT_EQ(outcome.exit_code, 0);
        const std::string& text = outcome.output;
        for (const char* flag :
             {"--config",         "--listen",         "--data-dir",     "--dev",
              "--insecure-http",  "--tls-cert",       "--tls-key",      "--master-key",
              "--log-level",      "--default-region", "--code-sender",  "--code-webhook-url",
              "--init-org",       "--init-admin",     "--init-region",  "--io-threads",
              "--worker-threads", "--max-body-bytes", "--idle-timeout", "--sqlite-synchronous",
              "--sqlite-readers"}) {
            EXPECT_THAT(text, HasSubstr(std::string(flag) + " ")) << flag;
        }
        for (const char* key_and_default : {
                 "server.listen = \"127.0.0.1:8080\"",
                 "server.data_dir = \"./data\"",
                 "dev = false",
                 "insecure_http = false",
                 "tls.certificate (default: none)",
                 "tls.private_key (default: none)",
                 "crypto.master_key_file (default: <data_dir>/master.key)",
                 "log.level = \"info\"",
                 "identity.default_region = \"US\"",
                 "identity.code_sender = \"log\"",
                 "identity.code_webhook_url (default: none)",
                 "init.organization (default: none)",
                 "init.admin_phone (default: none)",
                 "init.region (default: default_region)",
                 "server.io_threads = 2",
                 "server.worker_threads = 64",
                 "server.max_body_bytes = 1048576",
                 "server.max_upload_bytes = 52428800",
                 "server.max_attachment_bytes = 104857600",
                 "server.idle_timeout_seconds = 60",
                 "store.synchronous = \"FULL\"",
                 "store.readers = 4",
             }) {
            EXPECT_THAT(text, HasSubstr(key_and_default));
        }
    }
}

TEST(ParseCommandLine, HelpWinsOverOtherFlags) {
    const ParseOutcome outcome = parse({"--listen", "x:1", "--help"});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_THAT(outcome.output, HasSubstr("--listen"));
}

TEST(ParseCommandLine, ReadsEveryKeyOfTheTomlFile) {
    TomlFile file(R"(
dev = true
insecure_http = true

[server]
listen = "0.0.0.0:443"
data_dir = "/var/lib/parley"
io_threads = 3
worker_threads = 32
max_body_bytes = 2048
max_upload_bytes = 1000000
idle_timeout_seconds = 15

[tls]
certificate = "cert.pem"
private_key = "key.pem"

[crypto]
master_key_file = "/etc/parley/master.key"

[log]
level = "warn"

[identity]
default_region = "SG"
code_sender = "webhook"
code_webhook_url = "https://sms-gateway.internal/send"

[init]
organization = "Contoso"
admin_phone = "+6599885544"
region = "MY"

[store]
synchronous = "NORMAL"
readers = 6

[stream]
web_origins = "https://chat.example.com"
max_frame_bytes = 4096
idle_timeout_seconds = 45
queue_frames = 200
queue_bytes = 262144
frame_rate = 10
frame_burst = 30
resume_limit = 100
)");
    const ParseOutcome outcome = parse({"--config", file.path()});
    ASSERT_TRUE(outcome.config) << outcome.output;
    const Config& c = *outcome.config;
    EXPECT_TRUE(c.dev);
    EXPECT_TRUE(c.insecure_http);
    EXPECT_EQ(c.listen, "0.0.0.0:443");
    EXPECT_EQ(c.data_dir, "/var/lib/parley");
    EXPECT_EQ(c.io_threads, 3);
    EXPECT_EQ(c.worker_threads, 32);
    EXPECT_EQ(c.max_body_bytes, 2048u);
    EXPECT_EQ(c.max_upload_bytes, 1000000u);
    EXPECT_EQ(c.idle_timeout_seconds, 15);
    EXPECT_EQ(c.tls_certificate, "cert.pem");
    EXPECT_EQ(c.tls_private_key, "key.pem");
    EXPECT_EQ(c.master_key_file, "/etc/parley/master.key");
    EXPECT_EQ(c.log_level, "warn");
    EXPECT_EQ(c.default_region, "SG");
    EXPECT_EQ(c.code_sender, "webhook");
    EXPECT_EQ(c.code_webhook_url, "https://sms-gateway.internal/send");
    EXPECT_EQ(c.init_org, "Contoso");
    EXPECT_EQ(c.init_admin, "+6599885544");
    EXPECT_EQ(c.init_region, "MY");
    EXPECT_EQ(c.sqlite_synchronous, "NORMAL");
    EXPECT_EQ(c.sqlite_readers, 6);
    EXPECT_EQ(c.web_origins, "https://chat.example.com");
    EXPECT_EQ(c.stream_max_frame_bytes, 4096u);
    EXPECT_EQ(c.stream_idle_timeout_seconds, 45);
    EXPECT_EQ(c.stream_queue_frames, 200);
    EXPECT_EQ(c.stream_queue_bytes, 262144u);
    EXPECT_EQ(c.stream_frame_rate, 10);
    EXPECT_EQ(c.stream_frame_burst, 30);
    EXPECT_EQ(c.stream_resume_limit, 100);
    EXPECT_EQ(c.config_file, file.path());
}

TEST(ParseCommandLine, AcceptsDottedKeysAndInlineTables) {
    TomlFile file("server.listen = \"[::1]:9000\"\nstore = { readers = 2 }\n");
    const ParseOutcome outcome = parse({"--config", file.path()});
    ASSERT_TRUE(outcome.config) << outcome.output;
    EXPECT_EQ(outcome.config->listen, "[::1]:9000");
    EXPECT_EQ(outcome.config->sqlite_readers, 2);
}

TEST(ParseCommandLine, FlagsOverrideTheFile) {
    TomlFile file(R"(
dev = true
[server]
listen = "127.0.0.1:9000"
io_threads = 3
[identity]
default_region = "SG"
)");
    const ParseOutcome outcome = parse({"--listen", "127.0.0.1:9001", "--config", file.path(),
                                        "--dev=false", "--io-threads", "5"});
    ASSERT_TRUE(outcome.config) << outcome.output;
    EXPECT_EQ(outcome.config->listen, "127.0.0.1:9001");
    EXPECT_FALSE(outcome.config->dev);
    EXPECT_EQ(outcome.config->io_threads, 5);
    EXPECT_EQ(outcome.config->default_region, "SG");  // not on the command line: from the file
    EXPECT_EQ(outcome.config->worker_threads, 64);    // in neither: the default
}

TEST(ParseCommandLine, UnknownTomlKeysAreErrorsNamingKeyAndLine) {
    std::string output = file_error("[server]\nlisten = \"127.0.0.1:8080\"\nlistn = \"x\"\n");
    EXPECT_THAT(output, HasSubstr(":3:1: unknown key \"server.listn\""));
    EXPECT_THAT(output, HasSubstr("listen"));  // the known keys, to spot the typo

    output = file_error("dev = true\n\n[srever]\nlisten = \"x\"\n");
    EXPECT_THAT(output, HasSubstr(":3:2: unknown key \"srever\""));

    output = file_error("debug = true\n");
    EXPECT_THAT(output, HasSubstr(":1:1: unknown key \"debug\""));

    // A top-level key written after a header lands in that table.
    output = file_error("[server]\nlisten = \"127.0.0.1:8080\"\ndev = true\n");
    EXPECT_THAT(output, HasSubstr(":3:1: unknown key \"server.dev\""));

    output = file_error("[server.limits]\nmax = 1\n");
    EXPECT_THAT(output, HasSubstr("unknown key \"server.limits\""));
}

TEST(ParseCommandLine, ReportsEveryProblemOfTheFileInOrder) {
    const std::string output =
        file_error("[server]\nio_threads = \"4\"\n[store]\nsync = \"FULL\"\n[zzz]\n");
    const auto first = output.find(":2:");
    const auto second = output.find(":4:");
    const auto third = output.find(":5:");
    ASSERT_NE(first, std::string::npos) << output;
    ASSERT_NE(second, std::string::npos) << output;
    ASSERT_NE(third, std::string::npos) << output;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
}

TEST(ParseCommandLine, TomlSyntaxErrorsNameTheLine) {
    std::string output = file_error("[server]\nlisten = \"127.0.0.1:8080\"\nio_threads = = 4\n");
    EXPECT_THAT(output, HasSubstr(":3:"));
    EXPECT_THAT(output, HasSubstr("TOML syntax error"));

    output = file_error("[server]\nlisten = \"unterminated\n");
    EXPECT_THAT(output, HasSubstr(":2:"));

    output = file_error("[server]\nlisten = \"a:1\"\nlisten = \"b:2\"\n");  // duplicate key
    EXPECT_THAT(output, HasSubstr(":3:"));
}

TEST(ParseCommandLine, WrongTomlTypesAreErrorsNamingKeyAndLine) {
    std::string output = file_error("[server]\nio_threads = \"4\"\n");
    EXPECT_THAT(output, HasSubstr(":2:14: server.io_threads must be an integer, not a string"));

    output = file_error("dev = \"yes\"\n");
    EXPECT_THAT(output, HasSubstr(":1:7: dev must be a boolean"));

    output = file_error("[server]\nlisten = 8080\n");
    EXPECT_THAT(output, HasSubstr("server.listen must be a string, not an integer"));

    output = file_error("[server]\nworker_threads = 2.5\n");
    EXPECT_THAT(output, HasSubstr("server.worker_threads must be an integer, not a float"));

    output = file_error("[server]\nmax_body_bytes = -1\n");
    EXPECT_THAT(output, HasSubstr("server.max_body_bytes = -1 is out of range"));

    output = file_error("[server]\nio_threads = 9999999999\n");
    EXPECT_THAT(output, HasSubstr("server.io_threads = 9999999999 is out of range"));

    output = file_error("server = \"127.0.0.1:8080\"\n");
    EXPECT_THAT(output, HasSubstr(":1:10: [server] must be a table, not a string"));

    output = file_error("[[server]]\nlisten = \"127.0.0.1:8080\"\n");
    EXPECT_THAT(output, HasSubstr("[server] must be a table, not an array"));
}

TEST(ParseCommandLine, MissingConfigFileIsAnError) {
    const std::string missing =
        (std::filesystem::temp_directory_path() / "parley_config_test_no_such_file.toml").string();
    const ParseOutcome outcome = parse({"--config", missing.c_str()});
    EXPECT_FALSE(outcome.config);
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.output, HasSubstr(missing));
    EXPECT_THAT(outcome.output, HasSubstr("No such file"));

    const std::string directory = std::filesystem::temp_directory_path().string();
    EXPECT_EQ(parse({"--config", directory.c_str()}).exit_code, 2);
}

TEST(ParseCommandLine, TheDocumentedExampleParsesAndValidates) {
    const auto example = std::filesystem::path(PARLEY_SOURCE_DIR) / "docs" / "parley.example.toml";
    ASSERT_TRUE(std::filesystem::exists(example)) << example;
    const ParseOutcome outcome = parse({"--config", example.c_str()});
    ASSERT_TRUE(outcome.config) << outcome.output;
    EXPECT_EQ(outcome.config->default_region, "SG");
    EXPECT_EQ(outcome.config->init_org, "Contoso");
    const Result<Config> valid = validate(*outcome.config);
    ASSERT_TRUE(valid) << valid.error().message;
    EXPECT_EQ(valid->init_region, "SG");
}

// ---- validate -----------------------------------------------------------------------------------

// The smallest config that passes: the defaults plus --dev, which the "log" code sender needs.
Config dev_config() {
    Config config;
    config.dev = true;
    return config;
}

void expect_refused(const Config& config, std::string_view code, std::string_view mentions) {
    const Result<Config> result = validate(config);
    ASSERT_FALSE(result) << code;
    EXPECT_EQ(result.error().kind, ErrorKind::invalid);
    EXPECT_EQ(result.error().code, code);
    EXPECT_THAT(result.error().message, HasSubstr(std::string(mentions)));
}

TEST(Validate, AcceptsTheDefaultsWithDevAndFillsDerivedDefaults) {
    const Result<Config> result = validate(dev_config());
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->master_key_file, std::filesystem::path("./data") / "master.key");
    EXPECT_EQ(result->init_region, "US");
}

TEST(Validate, KeepsAnExplicitMasterKeyFileAndInitRegion) {
    Config config = dev_config();
    config.master_key_file = "/etc/parley/master.key";
    config.init_region = "GB";
    const Result<Config> result = validate(config);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->master_key_file, "/etc/parley/master.key");
    EXPECT_EQ(result->init_region, "GB");
}

TEST(Validate, NormalizesCase) {
    Config config = dev_config();
    config.default_region = "sg";
    config.sqlite_synchronous = "normal";
    const Result<Config> result = validate(config);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->default_region, "SG");
    EXPECT_EQ(result->init_region, "SG");
    EXPECT_EQ(result->sqlite_synchronous, "NORMAL");
}

TEST(Validate, LoopbackNeedsNoTls) {
    for (const char* listen : {"127.0.0.1:8080", "127.1.2.3:80", "[::1]:8080", "localhost:8080",
                               "LOCALHOST:0", "[::ffff:127.0.0.1]:8080"}) {
        Config config = dev_config();
        config.listen = listen;
        const Result<Config> result = validate(config);
        EXPECT_TRUE(result) << listen << ": " << result.error().message;
    }
}

TEST(Validate, NonLoopbackNeedsTlsOrInsecureHttp) {
    for (const char* listen :
         {"0.0.0.0:443", "[::]:443", "192.168.1.10:8080", "parley.example.com:443"}) {
        Config config = dev_config();
        config.listen = listen;
        expect_refused(config, "tls_required", "--tls-cert");

        Config insecure = config;
        insecure.insecure_http = true;
        EXPECT_TRUE(validate(insecure)) << listen;

        Config tls = config;
        tls.tls_certificate = "cert.pem";
        tls.tls_private_key = "key.pem";
        EXPECT_TRUE(validate(tls)) << listen;
    }
}

TEST(Validate, TlsNeedsBothFiles) {
    Config config = dev_config();
    config.tls_certificate = "cert.pem";
    expect_refused(config, "tls_incomplete", "--tls-key");

    config = dev_config();
    config.tls_private_key = "key.pem";
    expect_refused(config, "tls_incomplete", "--tls-cert");

    // Also on a public address, where the missing file matters more than "no TLS".
    config.listen = "0.0.0.0:443";
    expect_refused(config, "tls_incomplete", "--tls-cert");
}

TEST(Validate, RefusesUnparseableListenAddresses) {
    for (const char* listen : {"", "8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "::1:8080",
                               "[::1:8080", "host name:80", "127.0.0.1:http"}) {
        Config config = dev_config();
        config.listen = listen;
        expect_refused(config, "invalid_listen_address", "");
    }
}

TEST(Validate, LogCodeSenderRequiresDev) {
    Config config;
    expect_refused(config, "dev_sender_requires_dev", "--dev");
}

TEST(Validate, RefusesUnknownCodeSenders) {
    for (const char* sender : {"sms", "Log", "WEBHOOK", ""}) {
        Config config = dev_config();
        config.code_sender = sender;
        expect_refused(config, "unknown_code_sender", "--code-sender");
    }
}

TEST(Validate, WebhookSenderNeedsAnHttpUrl) {
    for (const char* url : {"", "sms-gateway.internal/send", "ftp://gw/send", "https://",
                            "http:///send", "https://gw/send now", "javascript:alert(1)"}) {
        Config config;
        config.code_sender = "webhook";
        config.code_webhook_url = url;
        expect_refused(config, "webhook_url_required", "--code-webhook-url");
    }
    for (const char* url :
         {"https://sms-gateway.internal/send", "http://127.0.0.1:9000/send", "HTTPS://gw"}) {
        Config config;
        config.code_sender = "webhook";
        config.code_webhook_url = url;
        const Result<Config> result = validate(config);
        EXPECT_TRUE(result) << url << ": " << result.error().message;
    }
}

TEST(Validate, InitNeedsBothOrganizationAndAdmin) {
    Config config = dev_config();
    config.init_org = "Contoso";
    expect_refused(config, "init_incomplete", "--init-admin");

    config = dev_config();
    config.init_admin = "+6599885544";
    expect_refused(config, "init_incomplete", "--init-org");

    config.init_org = "Contoso";
    EXPECT_TRUE(validate(config));
}

TEST(Validate, RefusesInvalidSettings) {
    struct Case {
        const char* mentions;
        void (*change)(Config&);
    };
    const Case cases[] = {
        {"--io-threads", [](Config& c) { c.io_threads = 0; }},
        {"--worker-threads", [](Config& c) { c.worker_threads = -1; }},
        {"--idle-timeout", [](Config& c) { c.idle_timeout_seconds = 0; }},
        {"--sqlite-readers", [](Config& c) { c.sqlite_readers = 0; }},
        {"--sqlite-writer-cache-mib", [](Config& c) { c.sqlite_writer_cache_mib = 0; }},
        {"--max-body-bytes", [](Config& c) { c.max_body_bytes = 1023; }},
        {"--max-upload-bytes", [](Config& c) { c.max_upload_bytes = 1023; }},
        {"--max-attachment-bytes", [](Config& c) { c.max_attachment_bytes = 1023; }},
        {"--sqlite-synchronous", [](Config& c) { c.sqlite_synchronous = "OFF"; }},
        {"--sqlite-synchronous", [](Config& c) { c.sqlite_synchronous = ""; }},
        {"--default-region", [](Config& c) { c.default_region = "USA"; }},
        {"--default-region", [](Config& c) { c.default_region = "U1"; }},
        {"--default-region", [](Config& c) { c.default_region = ""; }},
        {"--init-region", [](Config& c) { c.init_region = "X"; }},
        {"--log-level", [](Config& c) { c.log_level = "verbose"; }},
        {"--data-dir", [](Config& c) { c.data_dir = ""; }},
        {"--stream-max-frame", [](Config& c) { c.stream_max_frame_bytes = 1023; }},
        {"--stream-idle-timeout", [](Config& c) { c.stream_idle_timeout_seconds = 0; }},
        {"--stream-queue-frames", [](Config& c) { c.stream_queue_frames = 0; }},
        {"--stream-queue-bytes", [](Config& c) { c.stream_queue_bytes = 65535; }},
        {"--stream-frame-rate", [](Config& c) { c.stream_frame_rate = 0; }},
        {"--stream-frame-burst", [](Config& c) { c.stream_frame_burst = 0; }},
        {"--stream-resume-limit", [](Config& c) { c.stream_resume_limit = 0; }},
    };
    for (const Case& test : cases) {
        Config config = dev_config();
        test.change(config);
        expect_refused(config, "invalid_setting", test.mentions);
    }
}

TEST(Validate, AcceptsBoundaryValues) {
    Config config = dev_config();
    config.io_threads = 1;
    config.worker_threads = 1;
    config.idle_timeout_seconds = 1;
    config.sqlite_readers = 1;
    config.max_body_bytes = 1024;
    config.max_upload_bytes = 1024;
    config.stream_max_frame_bytes = 1024;
    config.stream_queue_bytes = 65536;
    config.stream_frame_rate = 1;
    config.stream_frame_burst = 1;
    config.log_level = "off";
    const Result<Config> result = validate(config);
    EXPECT_TRUE(result) << result.error().message;
}

}  // namespace
}  // namespace parley::app
