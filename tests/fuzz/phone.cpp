// Phone numbers as people type them and files hold them: any bytes, read for a region the
// first byte picks. Besides not crashing: an accepted number is E.164 ("+" and 8 to 15
// digits), and reading that E.164 form again gives the same number.

#include "core/phone.hpp"

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kRegions[] = {"SG", "US", "IN", "GB", "DE", "", "ZZ", "xx"};
    const std::string_view region = kRegions[data[0] % std::size(kRegions)];
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto e164 = parley::core::normalize_phone(input, region);
    if (e164) {
        const std::string& n = *e164;
        const bool shaped = n.size() >= 9 && n.size() <= 16 && n[0] == '+' &&
                            n.find_first_not_of("0123456789", 1) == std::string::npos;
        auto again = parley::core::normalize_phone(n, "ZZ");
        if (!shaped || !again || *again != n) {
            std::cerr << "\"" << input << "\" (" << region << ") read as " << n << "\n";
            std::abort();
        }
    }
    (void)parley::core::parse_phone_list(input, region);
    return 0;
}
