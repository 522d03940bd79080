#include "net/address.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace parley::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<in_addr> parse_ipv4(std::string_view text) {
    in_addr address{};
    if (inet_pton(AF_INET, std::string(text).c_str(), &address) != 1) return std::nullopt;
    return address;
}

std::optional<in6_addr> parse_ipv6(std::string_view text) {
    in6_addr address{};
    if (inet_pton(AF_INET6, std::string(text).c_str(), &address) != 1) return std::nullopt;
    return address;
}

// Letters, digits, '-' and '.', labels of 1..63 characters not starting or ending with '-'.
// All-numeric names are not names: "999.1.1.1" is a broken IPv4 address.
bool is_dns_name(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    bool has_letter = false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= host.size(); ++i) {
        const char c = i < host.size() ? host[i] : '.';
        if (c == '.') {
            if (label == 0 || label > 63 || host[i - 1] == '-' || host[i - label] == '-') {
                return false;
            }
            label = 0;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
            has_letter = has_letter || std::isalpha(static_cast<unsigned char>(c));
            ++label;
        } else {
            return false;
        }
    }
    return has_letter;
}

}  // namespace

bool is_loopback_address(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (iequals(host, "localhost")) return true;
    if (auto v4 = parse_ipv4(host)) return (ntohl(v4->s_addr) >> 24) == 127;
    if (auto v6 = parse_ipv6(host)) {
        if (IN6_IS_ADDR_LOOPBACK(&*v6)) return true;
        return IN6_IS_ADDR_V4MAPPED(&*v6) && v6->s6_addr[12] == 127;
    }
    return false;
}

Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
    const auto invalid = [text](std::string_view why) {
        return fail(ErrorKind::invalid, "invalid_listen_address",
                    fmt::format("listen address \"{}\" {}; expected host:port, e.g. "
                                "127.0.0.1:8080, [::1]:8080, 0.0.0.0:443 or localhost:8080",
                                text, why));
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return invalid("has no port");
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);

    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port > 65535) {
        return invalid("has no valid port (0..65535)");
    }

    if (host.starts_with('[')) {
        if (!host.ends_with(']') || !parse_ipv6(host.substr(1, host.size() - 2))) {
            return invalid("has an invalid IPv6 address");
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return invalid("has an IPv6 address without [brackets]");
    } else if (!parse_ipv4(host) && !is_dns_name(host)) {
        return invalid("has an invalid host");
    }
    return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace parley::net
