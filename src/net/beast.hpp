#pragma once
// The one place net/ includes Asio and Beast. Private to net/: the public headers stay free of
// them, because a translation unit with Beast and TLS takes ~15 s to compile.

// GCC 12 needs <utility> before Asio's headers (GUIDE.md §3).
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace parley::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

}  // namespace parley::net
