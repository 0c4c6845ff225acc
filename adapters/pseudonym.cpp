// Server key file and HMAC pseudonyms (adapters/pseudonym.h).
#include "adapters/pseudonym.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace yorisoi::adapters {
namespace {

constexpr std::size_t kKeyBytes = 32;

std::string HexDecode(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return {};
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string RandomUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string h = HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

Result<Pseudonymizer> Pseudonymizer::OpenOrCreate(const std::string& dir) {
  const std::string path = dir + "/pseudonym.key";
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::ifstream in(path);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
      std::string key = HexDecode(text);
      if (key.size() != kKeyBytes)
        return Status::InvalidArgument(path + ": not a 64-character hex key");
      return Pseudonymizer(std::move(key));
    }
    // Create it exclusively; if another process won the race, read theirs.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return Status::InvalidArgument(path + ": cannot create: " + std::strerror(errno));
    }
    std::string key;
    try {
      key = RandomBytes(kKeyBytes);
    } catch (const std::exception& e) {
      ::close(fd);
      ::unlink(path.c_str());
      return Status::InvalidArgument(path + ": " + e.what());
    }
    const std::string text = HexEncode(key) + "\n";
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
      ::unlink(path.c_str());
      return Status::InvalidArgument(path + ": cannot write: " + std::strerror(errno));
    }
    return Pseudonymizer(std::move(key));
  }
  return Status::InvalidArgument(path + ": cannot read");
}

std::string Pseudonymizer::Id(std::string_view line_id) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(line_id.data()), line_id.size(), mac, &mac_len);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

}  // namespace yorisoi::adapters
