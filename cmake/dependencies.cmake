# Every third-party dependency, found once. All come from Debian 12 packages
# (see scripts/install-deps for the package names).
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(Boost 1.74 EXACT REQUIRED COMPONENTS system)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Attachments: libmagic (libmagic-dev) tells a file's type from its content; libgd (libgd-dev)
# decodes jpeg/png/webp/gif pictures and writes their thumbnails.
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)
pkg_check_modules(GD REQUIRED IMPORTED_TARGET gdlib)

find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(parley_phonenumber INTERFACE)
target_link_libraries(parley_phonenumber INTERFACE ${PHONENUMBER_LIBRARY})

# libcsv (Debian libcsv-dev) ships neither a CMake config nor a pkg-config file.
find_path(LIBCSV_INCLUDE_DIR csv.h)
find_library(LIBCSV_LIBRARY csv)
if(NOT LIBCSV_INCLUDE_DIR OR NOT LIBCSV_LIBRARY)
  message(FATAL_ERROR "libcsv not found (csv.h and -lcsv): install it with "
                      "`sudo apt-get install libcsv-dev` or run scripts/install-deps")
endif()
add_library(parley_libcsv INTERFACE)
target_include_directories(parley_libcsv INTERFACE ${LIBCSV_INCLUDE_DIR})
target_link_libraries(parley_libcsv INTERFACE ${LIBCSV_LIBRARY})

if(PARLEY_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PARLEY_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
