// parleyd: the Parley server. Reads its config (TOML file and flags; `parleyd --help`),
// starts, prints where to open it, and runs until SIGINT or SIGTERM, then drains and exits 0.
// `parleyd backup --to DIR` copies the data directory instead (app/backup.hpp).

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "app/backup.hpp"
#include "app/config.hpp"
#include "app/server.hpp"
#include "common/log.hpp"
#include "net/address.hpp"

namespace {

// Every stream client holds a socket: take all the descriptors the system allows this process
// (the soft limit is often 1024, the hard one far more), and say how many that is.
void raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    spdlog::info("open-file limit {}: about as many clients can be connected at once",
                 static_cast<unsigned long long>(limit.rlim_cur));
}

}  // namespace

int main(int argc, char** argv) {
    using namespace parley;
    auto parsed = app::parse_command_line(argc, argv);
    if (!parsed.config) {
        (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output;
        return parsed.exit_code;
    }
    auto config = app::validate(*parsed.config);
    if (!config) {
        std::cerr << "parleyd: " << config.error().message << " (" << config.error().code << ")\n";
        return 2;
    }
    log::init(config->log_level);
    if (parsed.backup) {
        auto report = app::back_up(*config, *parsed.backup);
        if (!report) {
            std::cerr << "parleyd backup: " << report.error().message << " (" << report.error().code
                      << ")\n";
            return 1;
        }
        std::cout << app::describe(*report, *parsed.backup, *config);
        return 0;
    }
    raise_open_file_limit();

    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto server = app::Server::create(*config);
    if (!server) {
        std::cerr << "parleyd: " << server.error().message << " (" << server.error().code << ")\n";
        return 1;
    }
    auto port = (*server)->start();
    if (!port) {
        std::cerr << "parleyd: " << port.error().message << " (" << port.error().code << ")\n";
        return 1;
    }
    auto listen = net::parse_listen_address(config->listen);
    std::string host = listen ? listen->first : "127.0.0.1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::string scheme = config->tls_certificate.empty() ? "http" : "https";
    std::cout << "parleyd listening on " << scheme << "://" << host << ":" << *port << std::endl;
    std::cout << "Open " << scheme << "://" << host << ":" << *port << "/healthz to check it.\n"
              << "Sign in: POST /api/v1/auth/codes {\"phone\": \"+<number>\"}, then "
                 "POST /api/v1/auth/sessions {\"phone\", \"code\"}";
    if (config->code_sender == "log") {
        std::cout << " — in --dev the code is in "
                  << (config->data_dir / "dev-outbox.jsonl").string();
    }
    std::cout << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    spdlog::info("signal {} received; draining and stopping", received);
    (*server)->stop();
    return 0;
}
