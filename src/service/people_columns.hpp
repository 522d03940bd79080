#pragma once
// The column names of the people files: the Users import and template, the people export
// (which adds Work Account, Added and Groups), the User Group Mapping import and the group
// membership export (which adds Name). Names are matched ignoring ASCII case; no custom
// attribute may take one (the attribute columns sit beside them in the same header).

#include <array>

namespace parley::service::columns {

inline constexpr char kPhone[] = "Phone Number";
inline constexpr char kName[] = "Name";
inline constexpr char kEmail[] = "Email";
inline constexpr char kRegion[] = "Region";
inline constexpr char kRole[] = "Role";
inline constexpr char kWorkAccount[] = "Work Account";
inline constexpr char kAdded[] = "Added";
inline constexpr char kGroups[] = "Groups";
inline constexpr char kGroupName[] = "Group Name";
inline constexpr char kUserType[] = "User Type";

// The columns of the Users file and the people export, which attribute columns join.
inline constexpr std::array<const char*, 8> kPeopleFile = {kPhone, kName,        kEmail, kRegion,
                                                           kRole,  kWorkAccount, kAdded, kGroups};

}  // namespace parley::service::columns
