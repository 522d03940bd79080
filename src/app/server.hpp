#pragma once
// Server: Parley assembled from its parts for one process — key ring, store, sign-in,
// services, API, worker pool and HTTP listener — built from a validated Config. Only app/
// builds things from config; every other class takes its dependencies and settings.
// start()/stop() from one thread; stop() is idempotent.

#include <cstdint>
#include <memory>

#include "app/config.hpp"
#include "common/result.hpp"

namespace parley::app {

class Server {
public:
    static Result<std::unique_ptr<Server>> create(const Config& config);
    ~Server();

    // Listens and serves; returns the bound port.
    Result<std::uint16_t> start();
    // Stops accepting, finishes in-flight requests within the drain time, stops the workers.
    void stop();

private:
    struct Parts;
    explicit Server(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
};

}  // namespace parley::app
