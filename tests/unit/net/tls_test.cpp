#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "net/http_server.hpp"
#include "test_support.hpp"

namespace parley::net {
namespace {

using test::CurlClient;
using test::json_error;
using test::local_settings;
using test::url;

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const {
        Free(p);
    }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using FilePtr = std::unique_ptr<FILE, Deleter<std::fclose>>;

// A fresh self-signed P-256 certificate for "localhost" and its key, as PEM files in a temporary
// directory removed with the object.
class SelfSigned {
public:
    SelfSigned() {
        char pattern[] = "/tmp/parley-net-tls-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        certificate_file = (dir_ / "cert.pem").string();
        private_key_file = (dir_ / "key.pem").string();
        other_key_file = (dir_ / "other-key.pem").string();

        KeyPtr key(EVP_EC_gen("P-256"));
        CertPtr cert(X509_new());
        X509_set_version(cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
        X509_set_pubkey(cert.get(), key.get());
        X509_NAME* name = X509_get_subject_name(cert.get());
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
        X509_set_issuer_name(cert.get(), name);
        EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);

        FilePtr cert_out(std::fopen(certificate_file.c_str(), "w"));
        EXPECT_EQ(PEM_write_X509(cert_out.get(), cert.get()), 1);
        write_key(private_key_file, key.get());
        write_key(other_key_file, KeyPtr(EVP_EC_gen("P-256")).get());
    }
    ~SelfSigned() { std::filesystem::remove_all(dir_); }

    TlsSettings settings() const { return {certificate_file, private_key_file}; }

    std::string certificate_file;
    std::string private_key_file;
    std::string other_key_file;  // a valid key that does not match the certificate

private:
    static void write_key(const std::string& path, EVP_PKEY* key) {
        FilePtr out(std::fopen(path.c_str(), "w"));
        EXPECT_EQ(PEM_write_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
    }

    std::filesystem::path dir_;
};

class Tls : public ::testing::Test {
protected:
    // A TLS server that echoes the body and says whether the request came over TLS.
    std::uint16_t start(ServerSettings settings) {
        settings.tls = cert_.settings();
        server_ = std::make_unique<HttpServer>(
            settings,
            [](Request&& request, Responder respond) {
                respond(Response{
                    200, "text/plain", {}, (request.tls ? "tls:" : "plain:") + request.body});
            },
            json_error);
        auto port = server_->start();
        EXPECT_TRUE(port) << port.error().message;
        return port.value_or(0);
    }

    SelfSigned cert_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(Tls, ServesRequestsOverTlsOnOneConnection) {
    const auto port = start(local_settings());
    CurlClient client;
    const auto first = client.post(url(port, "/", true), "one");
    const auto second = client.post(url(port, "/", true), "two");

    ASSERT_EQ(first.code, CURLE_OK) << curl_easy_strerror(first.code);
    EXPECT_EQ(first.body, "tls:one");
    EXPECT_EQ(second.body, "tls:two");
    EXPECT_EQ(server_->connections_accepted(), 1u);
}

TEST_F(Tls, OversizedBodyGets413OverTls) {
    auto settings = local_settings();
    settings.max_body_bytes = 1024;
    const auto port = start(settings);
    const auto reply = CurlClient().post(url(port, "/", true), std::string(64 << 10, 'a'));

    ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
    EXPECT_EQ(reply.status, 413);
    EXPECT_NE(reply.body.find("payload_too_large"), std::string::npos);
}

TEST_F(Tls, PlainHttpClientFailsTheHandshake) {
    const auto port = start(local_settings());
    const auto plain = CurlClient().get(url(port, "/"));
    EXPECT_NE(plain.code, CURLE_OK);
    EXPECT_NE(plain.status, 200);

    EXPECT_EQ(CurlClient().post(url(port, "/", true), "still").body, "tls:still");
}

TEST_F(Tls, RefusesUnusableFilesAtStart) {
    const std::string garbage =
        (std::filesystem::path(cert_.certificate_file).parent_path() / "garbage.pem").string();
    std::ofstream(garbage) << "not a PEM file\n";
    const TlsSettings broken[] = {
        {"/nonexistent/cert.pem", cert_.private_key_file},
        {cert_.certificate_file, "/nonexistent/key.pem"},
        {garbage, cert_.private_key_file},
        {cert_.certificate_file, garbage},
        {cert_.certificate_file, cert_.other_key_file},
    };
    for (const TlsSettings& tls : broken) {
        auto settings = local_settings();
        settings.tls = tls;
        HttpServer server(
            settings, [](Request&&, Responder) {}, json_error);
        const auto started = server.start();
        ASSERT_FALSE(started) << tls.certificate_file << " " << tls.private_key_file;
        EXPECT_EQ(started.error().code, "tls_config");
    }
}

}  // namespace
}  // namespace parley::net
