#include "service/job_files.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "common/log.hpp"
#include "store/sealed_file.hpp"

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

Result<crypto::DataKey> organization_key(store::Store& store, const core::Id& org_id) {
    return store.data_key(store::key_id_for(core::Owner::organization(org_id), {}));
}

Result<std::string> read_plain_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorKind::not_found, "file_not_found", "No such file.");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) {
        return fail(ErrorKind::internal, "file_unreadable", "A stored file cannot be read.");
    }
    return std::move(bytes).str();
}

Result<std::string> read_job_file(store::Store& store, const core::Id& org_id,
                                  const std::filesystem::path& sealed,
                                  const std::string& associated_data,
                                  const std::filesystem::path& legacy) {
    std::error_code ec;
    if (!std::filesystem::exists(sealed, ec) && std::filesystem::exists(legacy, ec)) {
        return read_plain_file(legacy);
    }
    PARLEY_TRY_ASSIGN(auto key, organization_key(store, org_id));
    auto bytes = store::read_sealed(sealed, key, associated_data);
    if (!bytes && bytes.error().code == "decrypt_failed") return job_file_damaged(sealed);
    return bytes;
}

std::unexpected<Error> job_file_damaged(const std::filesystem::path& file) {
    spdlog::error("{} fails its integrity check: damaged, or altered on the disk", file.string());
    return fail(ErrorKind::internal, "job_file_damaged",
                "This job's file fails its integrity check: it was damaged or altered on the "
                "server. Run the job again (upload the file or export anew); the server's log "
                "names the file.");
}

}  // namespace parley::service
