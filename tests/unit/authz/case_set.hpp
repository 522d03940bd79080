#pragma once
// The permission tables' building block: a set of values of one dimension of a case (actions,
// actors, places, …), written `of(a, b) | kOthers`. Each dimension has its own type, so a row
// whose columns are in the wrong order does not compile. Enums of at most 64 values.

#include <cstdint>

namespace parley::authz {

template <typename E>
struct Set {
    std::uint64_t bits = 0;
    constexpr bool has(E e) const { return (bits >> static_cast<unsigned>(e)) & 1u; }
    constexpr Set operator|(Set other) const { return {bits | other.bits}; }
};

template <typename E, typename... Es>
constexpr Set<E> of(E first, Es... rest) {
    return {((std::uint64_t{1} << static_cast<unsigned>(first)) | ... |
             (std::uint64_t{1} << static_cast<unsigned>(rest)))};
}

}  // namespace parley::authz
