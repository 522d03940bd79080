#pragma once
// TempDir: a fresh private directory under the system temp dir, removed with everything in it
// when the object goes. For the auth tests' databases and outbox files. Not thread-safe.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace parley::auth::testing {

class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "parley_auth_XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace parley::auth::testing
