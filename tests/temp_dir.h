// A fresh directory under the system temp dir, removed with everything in it
// when the object goes out of scope. For the adapters' unit and end-to-end
// tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace yorisoi::test_util {

class TempDir {
 public:
  // `prefix` names the directory ("yorisoi-inbox-XXXXXX") so that leftovers
  // of a crashed test can be told apart.
  explicit TempDir(const std::string& prefix = "yorisoi-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace yorisoi::test_util
