#include "service/job_files.hpp"

#include <system_error>

namespace parley::service {

Result<void> prepare_private_directory(const std::filesystem::path& directory, const char* code,
                                       const char* what) {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) {
        return fail(ErrorKind::internal, code,
                    std::string("Cannot create the ") + what + " directory " + directory.string() +
                        ": " + ec.message());
    }
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    return ok();
}

}  // namespace parley::service
