// The Messaging API client verifies certificates: a TLS fake API with a
// certificate made in the test is refused until its certificate is trusted
// (SSL_CERT_FILE, read by OpenSSL's default verify paths), and refused again
// when the certificate names another host.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "adapters/messaging_client.h"

namespace yorisoi::adapters {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

struct KeyAndCert {
  std::string key_pem, cert_pem;
};

// A self-signed P-256 certificate for `host` (CN and subjectAltName).
KeyAndCert MakeCert(const std::string& host) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  const std::string san = "DNS:" + host;
  for (auto [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                            {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  auto to_pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
  };
  KeyAndCert kc;
  kc.key_pem = to_pem(
      [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  kc.cert_pem = to_pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
  X509_free(x);
  EVP_PKEY_free(key);
  return kc;
}

// Answers every request 200 over TLS; counts the requests it could read.
class TlsFakeApi {
 public:
  explicit TlsFakeApi(const KeyAndCert& kc)
      : ctx_(ssl::context::tls_server), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain(net::buffer(kc.cert_pem));
    ctx_.use_private_key(net::buffer(kc.key_pem), ssl::context::pem);
    thread_ = std::thread([this] { Loop(); });
  }
  ~TlsFakeApi() {
    stop_ = true;
    beast::error_code ec;
    {
      tcp::socket s(ioc_);
      s.connect(acceptor_.local_endpoint(), ec);  // wake accept()
    }
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int requests() const { return requests_; }

 private:
  void Loop() {
    while (!stop_) {
      tcp::socket s(ioc_);
      beast::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      beast::ssl_stream<tcp::socket&> tls(s, ctx_);
      tls.handshake(ssl::stream_base::server, ec);
      if (ec) continue;
      beast::flat_buffer buf;
      for (;;) {
        bhttp::request<bhttp::string_body> req;
        bhttp::read(tls, buf, req, ec);
        if (ec) break;
        ++requests_;
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
        res.body() = "{}";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        bhttp::write(tls, res, ec);
        if (ec) break;
      }
    }
  }

  net::io_context ioc_;
  ssl::context ctx_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

SendResult SendOnce(const std::string& base) {
  MessagingOptions o;
  o.api_base = base;
  o.access_token = "tls-test-token";
  o.now_ms = [] { return int64_t{1795446000000}; };  // reply tokens are not used here
  o.max_attempts = 2;
  o.backoff_initial = 1ms;
  o.backoff_max = 1ms;
  auto client = MessagingClient::Create(o, nullptr);
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error());
  if (!client.ok()) return {};
  SendRequest r;
  r.reply_token = "t";
  r.push_to = "U1";
  r.messages = R"([{"type":"text","text":"hi"}])";
  auto p = std::make_shared<std::promise<SendResult>>();
  auto f = p->get_future();
  r.event_time_ms = 0;  // an old token: goes straight to push, one method only
  (*client)->Send(r, [p](SendResult res) { p->set_value(res); });
  EXPECT_EQ(f.wait_for(30s), std::future_status::ready);
  return f.get();
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(MessagingClientTls, VerifiesTheCertificateAndTheHostName) {
  const std::string dir = ::testing::TempDir();
  struct Case {
    const char* name;
    std::string cert_host;
    bool trusted;
    bool delivered;
  };
  const Case kCases[] = {
      {"untrusted self-signed certificate", "localhost", false, false},
      {"trusted certificate for the host", "localhost", true, true},
      {"trusted certificate for another host", "api.example.invalid", true, false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    KeyAndCert kc = MakeCert(c.cert_host);
    const std::string ca = dir + "/yorisoi-tls-test-ca-" + std::to_string(::getpid()) + ".pem";
    {
      std::FILE* f = std::fopen(ca.c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fputs(c.trusted ? kc.cert_pem.c_str() : "", f);
      std::fclose(f);
    }
    ScopedEnv env("SSL_CERT_FILE", ca);
    ScopedEnv env_dir("SSL_CERT_DIR", dir + "/no-such-dir");
    TlsFakeApi api(kc);
    SendResult r = SendOnce("https://localhost:" + std::to_string(api.port()));
    EXPECT_EQ(r.outcome == SendResult::Outcome::kPushed, c.delivered) << r.reason;
    EXPECT_EQ(api.requests() > 0, c.delivered);
    std::filesystem::remove(ca);
  }
}

}  // namespace
}  // namespace yorisoi::adapters
