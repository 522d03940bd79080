// Issue 4 through the API: custom attributes (seed 004), the directory's sort and columns, a
// person's detailed view, and removing and restoring people. The 30-day expiry of a restore is
// tested in the store tests (the server has no clock to move).

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

std::string attributes_path(const std::string& org) { return org_path(org) + "/attributes"; }
std::string person_path(const std::string& org, const std::string& user_id) {
    return org_path(org) + "/people/" + user_id;
}

// Contoso with Department (shown to all, self-editable), Employee ID (number, mandatory,
// admins only) and On call (yes/no, shown to all, admin-edited).
struct Directory {
    ParleyServer server{contoso_args()};
    Session admin = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, admin.token);

    Directory() {
        auto r = server.post(
            attributes_path(org),
            {{"attributes",
              json::array(
                  {{{"name", "Department"}, {"self_editable", true}, {"visible_to_members", true}},
                   {{"name", "Employee ID"}, {"type", "number"}, {"mandatory", true}},
                   {{"name", "On call"}, {"type", "boolean"}, {"visible_to_members", true}}})}},
            admin.token);
        EXPECT_EQ(r.status, 201) << r;
    }

    Response add(const std::string& phone, const std::string& name, const json& attributes,
                 const std::string& email = "") {
        json body = {{"phone", phone}, {"name", name}, {"attributes", attributes}};
        if (!email.empty()) body["email"] = email;
        return server.post(org_path(org) + "/people", body, admin.token);
    }
};

TEST(Attributes, DefinedSeveralAtOnceWithSuggestions) {
    Directory d;
    auto list = d.server.get(attributes_path(d.org), d.admin.token);
    ASSERT_EQ(list.status, 200) << list;
    ASSERT_EQ(list.body["attributes"].size(), 3u) << list;
    EXPECT_EQ(list.body["attributes"][1]["name"], "Employee ID");
    EXPECT_EQ(list.body["attributes"][1]["type"], "number");
    EXPECT_EQ(list.body["attributes"][1]["mandatory"], true);
    EXPECT_TRUE(list.body["attributes"][1]["id"].is_string());
    // Department and Employee ID are defined, so they are no longer suggested.
    std::vector<std::string> suggested;
    for (const auto& s : list.body["suggestions"]) suggested.push_back(s["name"]);
    EXPECT_EQ(suggested, (std::vector<std::string>{"Manager", "Job Title", "Location"}));

    // Duplicates, case ignored, refuse the whole request.
    auto dup = d.server.post(
        attributes_path(d.org),
        {{"attributes", json::array({{{"name", "Location"}}, {{"name", "department"}}})}},
        d.admin.token);
    EXPECT_EQ(dup.status, 409) << dup;
    EXPECT_EQ(dup.error_code(), "attribute_exists");
    auto twice = d.server.post(
        attributes_path(d.org),
        {{"attributes", json::array({{{"name", "Floor"}}, {{"name", "FLOOR"}}})}}, d.admin.token);
    EXPECT_EQ(twice.status, 422) << twice;
    EXPECT_EQ(twice.error_code(), "duplicate_attribute");
    auto bad_type = d.server.post(
        attributes_path(d.org),
        {{"attributes", json::array({{{"name", "Floor"}, {"type", "integer"}}})}}, d.admin.token);
    EXPECT_EQ(bad_type.status, 422) << bad_type;
    EXPECT_EQ(bad_type.error_code(), "invalid_attribute_type");
    auto after = d.server.get(attributes_path(d.org), d.admin.token);
    EXPECT_EQ(after.body["attributes"].size(), 3u) << "nothing of a refused batch stays";

    // Members see the definitions but cannot change them.
    Session bob = d.server.sign_in(kBobPhone);
    ASSERT_EQ(d.add(kBobPhone, "Bob", {{"Employee ID", 7}}).status, 201);
    EXPECT_EQ(d.server.get(attributes_path(d.org), bob.token).status, 200);
    auto by_member = d.server.post(attributes_path(d.org),
                                   {{"attributes", json::array({{{"name", "X"}}})}}, bob.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(by_member.error_code(), "org_admin_required");
}

TEST(Attributes, ValuesAreValidatedByTypeAndMandatoryOnAdd) {
    Directory d;
    auto missing = d.add(kBobPhone, "Bob", {{"Department", "Sales"}});
    EXPECT_EQ(missing.status, 422) << missing;
    EXPECT_EQ(missing.error_code(), "attribute_required");
    auto wrong = d.add(kBobPhone, "Bob", {{"Employee ID", "B-12"}});
    EXPECT_EQ(wrong.status, 422) << wrong;
    EXPECT_EQ(wrong.error_code(), "invalid_attribute_value");
    auto unknown = d.add(kBobPhone, "Bob", {{"Employee ID", 12}, {"Shoe size", "42"}});
    EXPECT_EQ(unknown.status, 422) << unknown;
    EXPECT_EQ(unknown.error_code(), "unknown_attribute");
    auto not_bool = d.add(kBobPhone, "Bob", {{"Employee ID", 12}, {"On call", "perhaps"}});
    EXPECT_EQ(not_bool.error_code(), "invalid_attribute_value") << not_bool;
    auto none = d.server.get(org_path(d.org) + "/people", d.admin.token);
    EXPECT_EQ(none.body["total"], 1) << "no refused person was added: " << none;

    auto ok = d.add(kBobPhone, "Bob",
                    {{"employee id", "0042"}, {"Department", " Sales "}, {"On call", "Yes"}});
    ASSERT_EQ(ok.status, 201) << ok;
    std::string bob = ok.body["added"][0]["user_id"];
    auto detail = d.server.get(person_path(d.org, bob), d.admin.token);
    ASSERT_EQ(detail.status, 200) << detail;
    EXPECT_EQ(detail.body["attributes"],
              (json{{"Department", "Sales"}, {"Employee ID", "42"}, {"On call", "true"}}))
        << detail;

    // A mandatory value cannot be cleared; an optional one can (null or "").
    auto clear = d.server.patch(person_path(d.org, bob),
                                {{"attributes", {{"Employee ID", nullptr}}}}, d.admin.token);
    EXPECT_EQ(clear.status, 422) << clear;
    EXPECT_EQ(clear.error_code(), "attribute_required");
    auto cleared = d.server.patch(person_path(d.org, bob),
                                  {{"attributes", {{"On call", nullptr}}}, {"name", "Bob Tan"}},
                                  d.admin.token);
    ASSERT_EQ(cleared.status, 200) << cleared;
    EXPECT_EQ(cleared.body["name"], "Bob Tan");
    detail = d.server.get(person_path(d.org, bob), d.admin.token);
    EXPECT_EQ(detail.body["attributes"]["On call"], nullptr) << detail;
    EXPECT_EQ(detail.body["attributes"]["Employee ID"], "42") << detail;

    // Removing the attribute removes its values.
    auto defs = d.server.get(attributes_path(d.org), d.admin.token);
    std::string dept_id = defs.body["attributes"][0]["id"];
    EXPECT_EQ(d.server.del(attributes_path(d.org) + "/" + dept_id, d.admin.token).status, 204);
    auto again = d.server.del(attributes_path(d.org) + "/" + dept_id, d.admin.token);
    EXPECT_EQ(again.status, 404) << again;
    EXPECT_EQ(again.error_code(), "attribute_not_found");
    detail = d.server.get(person_path(d.org, bob), d.admin.token);
    EXPECT_FALSE(detail.body["attributes"].contains("Department")) << detail;
}

TEST(Attributes, ChangedAndRemovedSeveralAtOnce) {
    Directory d;
    auto defs = d.server.get(attributes_path(d.org), d.admin.token);
    const std::string dept = defs.body["attributes"][0]["id"];
    const std::string employee = defs.body["attributes"][1]["id"];
    const std::string on_call = defs.body["attributes"][2]["id"];
    ASSERT_EQ(d.add(kBobPhone, "Bob", {{"Employee ID", 7}, {"Department", "Sales"}}).status, 201);

    // Renamed and made admin-only; fields left out stay.
    auto renamed = d.server.patch(attributes_path(d.org) + "/" + dept,
                                  {{"name", "Team"}, {"visible_to_members", false}}, d.admin.token);
    ASSERT_EQ(renamed.status, 200) << renamed;
    EXPECT_EQ(renamed.body["name"], "Team");
    EXPECT_EQ(renamed.body["visible_to_members"], false);
    EXPECT_EQ(renamed.body["self_editable"], true) << renamed;
    // A taken name, a type change while Bob has a value, an unknown type: refused, nothing moved.
    auto taken =
        d.server.patch(attributes_path(d.org) + "/" + dept, {{"name", "on CALL"}}, d.admin.token);
    EXPECT_EQ(taken.status, 409) << taken;
    EXPECT_EQ(taken.error_code(), "attribute_exists");
    auto retype = d.server.patch(attributes_path(d.org) + "/" + employee, {{"type", "string"}},
                                 d.admin.token);
    EXPECT_EQ(retype.status, 409) << retype;
    EXPECT_EQ(retype.error_code(), "attribute_has_values");
    auto bad =
        d.server.patch(attributes_path(d.org) + "/" + dept, {{"type", "colour"}}, d.admin.token);
    EXPECT_EQ(bad.error_code(), "invalid_attribute_type") << bad;
    auto unknown_field =
        d.server.patch(attributes_path(d.org) + "/" + dept, {{"colour", "red"}}, d.admin.token);
    EXPECT_EQ(unknown_field.status, 400) << unknown_field;
    // Nobody has an On call value: its type may change.
    auto retyped =
        d.server.patch(attributes_path(d.org) + "/" + on_call, {{"type", "string"}}, d.admin.token);
    ASSERT_EQ(retyped.status, 200) << retyped;
    EXPECT_EQ(retyped.body["type"], "string");
    Session bob = d.server.sign_in(kBobPhone);
    auto by_member =
        d.server.patch(attributes_path(d.org) + "/" + dept, {{"name", "Mine"}}, bob.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(d.server.patch(attributes_path(d.org) + "/atr_nope", {{"name", "X"}}, d.admin.token)
                  .error_code(),
              "attribute_not_found");
    auto bob_id = d.server.get(org_path(d.org) + "/people?q=Bob", d.admin.token)
                      .body["people"][0]["user_id"]
                      .get<std::string>();
    auto detail = d.server.get(person_path(d.org, bob_id), d.admin.token);
    EXPECT_EQ(detail.body["attributes"]["Team"], "Sales") << "values follow a rename: " << detail;

    // Several at once, all or none.
    auto partly_unknown =
        d.server.del(attributes_path(d.org) + "?ids=" + dept + ",atr_nope", d.admin.token);
    EXPECT_EQ(partly_unknown.status, 404) << partly_unknown;
    EXPECT_EQ(d.server.get(attributes_path(d.org), d.admin.token).body["attributes"].size(), 3u)
        << "nothing removed when one id is unknown";
    EXPECT_EQ(d.server.del(attributes_path(d.org) + "?ids=", d.admin.token).error_code(),
              "attributes_required");
    EXPECT_EQ(d.server.del(attributes_path(d.org) + "?ids=" + dept, bob.token).status, 403);
    auto removed =
        d.server.del(attributes_path(d.org) + "?ids=" + dept + "," + on_call, d.admin.token);
    EXPECT_EQ(removed.status, 204) << removed;
    auto left = d.server.get(attributes_path(d.org), d.admin.token);
    ASSERT_EQ(left.body["attributes"].size(), 1u) << left;
    EXPECT_EQ(left.body["attributes"][0]["id"], employee);
    detail = d.server.get(person_path(d.org, bob_id), d.admin.token);
    EXPECT_EQ(detail.body["attributes"], (json{{"Employee ID", "7"}})) << detail;
}

TEST(Attributes, PeopleSeeAndEditOnlyWhatTheyMay) {
    Directory d;
    Session bob = d.server.sign_in(kBobPhone);
    Session carol = d.server.sign_in(kCarolPhone);
    ASSERT_EQ(d.add(kBobPhone, "Bob", {{"Employee ID", 1}, {"Department", "Sales"}},
                    "bob@contoso.example")
                  .status,
              201);
    ASSERT_EQ(d.add(kCarolPhone, "Carol", {{"Employee ID", 2}, {"On call", true}},
                    "carol@contoso.example")
                  .status,
              201);
    d.server.link_work_account(carol, "carol@contoso.example");

    // Own entry, whole, without a work-account sign-in.
    auto own = d.server.get(person_path(d.org, bob.user_id), bob.token);
    ASSERT_EQ(own.status, 200) << own;
    EXPECT_EQ(own.body["attributes"]["Employee ID"], "1") << own;
    EXPECT_TRUE(own.body["groups"].is_array()) << own;

    // Another's: only what is shown to all, and no groups.
    auto other = d.server.get(person_path(d.org, bob.user_id), carol.token);
    ASSERT_EQ(other.status, 200) << other;
    EXPECT_FALSE(other.body["attributes"].contains("Employee ID")) << other;
    EXPECT_EQ(other.body["attributes"]["Department"], "Sales") << other;
    EXPECT_EQ(other.body["groups"], nullptr) << other;

    // Columns: an admin-only attribute is not a column for members.
    auto hidden = d.server.get(org_path(d.org) + "/people?columns=Employee%20ID", carol.token);
    EXPECT_EQ(hidden.status, 403) << hidden;
    EXPECT_EQ(hidden.error_code(), "attribute_hidden");
    auto shown = d.server.get(org_path(d.org) + "/people?columns=department", carol.token);
    ASSERT_EQ(shown.status, 200) << shown;
    EXPECT_EQ(shown.body["columns"], json::array({"Department"}));

    // Self-editable values only, and only one's own.
    auto mine = d.server.patch(person_path(d.org, bob.user_id),
                               {{"attributes", {{"Department", "Marketing"}}}}, bob.token);
    ASSERT_EQ(mine.status, 200) << mine;
    auto locked = d.server.patch(person_path(d.org, bob.user_id),
                                 {{"attributes", {{"On call", true}}}}, bob.token);
    EXPECT_EQ(locked.status, 403) << locked;
    EXPECT_EQ(locked.error_code(), "attribute_not_editable");
    auto theirs = d.server.patch(person_path(d.org, carol.user_id),
                                 {{"attributes", {{"Department", "Mine"}}}}, bob.token);
    EXPECT_EQ(theirs.status, 403) << theirs;
    auto profile = d.server.patch(person_path(d.org, bob.user_id), {{"name", "Boss"}}, bob.token);
    EXPECT_EQ(profile.status, 403) << profile;
    EXPECT_EQ(profile.error_code(), "org_admin_required");
    // Mixed: refused whole, the allowed part included.
    auto mixed =
        d.server.patch(person_path(d.org, bob.user_id),
                       {{"attributes", {{"Department", "Ops"}, {"On call", false}}}}, bob.token);
    EXPECT_EQ(mixed.status, 403) << mixed;
    auto detail = d.server.get(person_path(d.org, bob.user_id), d.admin.token);
    EXPECT_EQ(detail.body["attributes"]["Department"], "Marketing") << detail;
    EXPECT_EQ(detail.body["attributes"]["On call"], nullptr) << detail;
}

TEST(Directory, SortColumnsAndDetail) {
    Directory d;
    Session bob = d.server.sign_in(kBobPhone);
    ASSERT_EQ(d.add(kBobPhone, "Bob", {{"Employee ID", 1}, {"Department", "Sales"}}).status, 201);
    ASSERT_EQ(d.add(kCarolPhone, "carol", {{"Employee ID", 2}}).status, 201);
    auto group = d.server.post(org_path(d.org) + "/groups",
                               {{"name", "Floor"}, {"members", {kBobPhone}}}, d.admin.token);
    ASSERT_EQ(group.status, 201) << group;

    auto names = [&](const std::string& query) {
        auto r = d.server.get(org_path(d.org) + "/people?" + query, d.admin.token);
        EXPECT_EQ(r.status, 200) << r;
        std::vector<std::string> out;
        for (const auto& p : r.body["people"]) out.push_back(p["name"]);
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names("sort=name"), (V{"", "Bob", "carol"}));
    EXPECT_EQ(names("sort=name&order=desc"), (V{"carol", "Bob", ""}));
    EXPECT_EQ(names("sort=added&order=desc"), (V{"carol", "Bob", ""}));
    // Carol never signed in: last when newest activity comes first.
    EXPECT_EQ(names("sort=last_active&order=desc").back(), "carol");
    EXPECT_EQ(names("sort=phone&limit=1&offset=1").size(), 1u);

    auto page = d.server.get(
        org_path(d.org) + "/people?q=bob&columns=Department,%20employee%20id,Department",
        d.admin.token);
    ASSERT_EQ(page.status, 200) << page;
    EXPECT_EQ(page.body["columns"], json::array({"Department", "Employee ID"}));
    ASSERT_EQ(page.body["people"].size(), 1u);
    EXPECT_EQ(page.body["people"][0]["attributes"],
              (json{{"Department", "Sales"}, {"Employee ID", "1"}}));
    EXPECT_TRUE(page.body["people"][0]["last_active_at"].is_string()) << page;

    auto five = d.server.get(org_path(d.org) + "/people?columns=A,B,C,D,E", d.admin.token);
    EXPECT_EQ(five.status, 422) << five;
    EXPECT_EQ(five.error_code(), "too_many_columns");
    auto unknown = d.server.get(org_path(d.org) + "/people?columns=Shoe", d.admin.token);
    EXPECT_EQ(unknown.status, 422) << unknown;
    EXPECT_EQ(unknown.error_code(), "unknown_column");
    auto bad_sort = d.server.get(org_path(d.org) + "/people?sort=age", d.admin.token);
    EXPECT_EQ(bad_sort.error_code(), "invalid_sort") << bad_sort;

    auto detail = d.server.get(person_path(d.org, bob.user_id), d.admin.token);
    ASSERT_EQ(detail.status, 200) << detail;
    ASSERT_EQ(detail.body["groups"].size(), 1u) << detail;
    EXPECT_EQ(detail.body["groups"][0]["name"], "Floor");
    EXPECT_EQ(detail.body["groups"][0]["role"], "member");
    EXPECT_EQ(detail.body["role"], "member");
    EXPECT_EQ(detail.body["work_account_linked"], false);
    EXPECT_TRUE(detail.body["last_active_at"].is_string()) << detail;
}

TEST(RemovedPeople, RestoredIntoTheirGroupsWithTheirValues) {
    Directory d;
    Session bob = d.server.sign_in(kBobPhone);
    ASSERT_EQ(d.add(kBobPhone, "Bob", {{"Employee ID", 9}}).status, 201);
    auto group = d.server.post(org_path(d.org) + "/groups", {{"name", "Floor"}}, d.admin.token);
    ASSERT_EQ(group.status, 201) << group;
    std::string gid = group.body["id"];
    auto added = d.server.post(group_path(gid) + "/members",
                               {{"phone", kBobPhone}, {"role", "admin"}}, d.admin.token);
    ASSERT_EQ(added.status, 200) << added;

    auto none =
        d.server.post(person_path(d.org, bob.user_id) + "/restore", json::object(), d.admin.token);
    EXPECT_EQ(none.status, 404) << none;
    EXPECT_EQ(none.error_code(), "removed_person_not_found");

    ASSERT_EQ(d.server.del(person_path(d.org, bob.user_id), d.admin.token).status, 200);
    EXPECT_EQ(d.server.get(group_path(gid), bob.token).status, 404);
    auto removed = d.server.get(org_path(d.org) + "/removed-people", d.admin.token);
    ASSERT_EQ(removed.status, 200) << removed;
    ASSERT_EQ(removed.body["removed_people"].size(), 1u) << removed;
    const json& record = removed.body["removed_people"][0];
    EXPECT_EQ(record["user_id"], bob.user_id);
    EXPECT_EQ(record["groups"][0]["id"], gid);
    EXPECT_EQ(record["groups"][0]["role"], "admin");
    EXPECT_TRUE(record["restorable_until"].is_string());

    // Members may not see or restore removed people.
    Session carol = d.server.sign_in(kCarolPhone);
    ASSERT_EQ(d.add(kCarolPhone, "Carol", {{"Employee ID", 3}}).status, 201);
    auto by_member = d.server.get(org_path(d.org) + "/removed-people", carol.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    auto restore_by_member =
        d.server.post(person_path(d.org, bob.user_id) + "/restore", json::object(), carol.token);
    EXPECT_EQ(restore_by_member.status, 403) << restore_by_member;

    auto restored =
        d.server.post(person_path(d.org, bob.user_id) + "/restore", json::object(), d.admin.token);
    ASSERT_EQ(restored.status, 200) << restored;
    EXPECT_EQ(restored.body["rejoined_groups"][0]["id"], gid);
    auto view = d.server.get(group_path(gid), bob.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["my_role"], "admin") << view;
    auto history = all_messages(d.server.http(), gid, bob.token);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.back()["text"], "Bob was restored to the group.");
    auto detail = d.server.get(person_path(d.org, bob.user_id), d.admin.token);
    EXPECT_EQ(detail.body["attributes"]["Employee ID"], "9") << detail;
    auto twice =
        d.server.post(person_path(d.org, bob.user_id) + "/restore", json::object(), d.admin.token);
    EXPECT_EQ(twice.status, 404) << twice;
    auto empty = d.server.get(org_path(d.org) + "/removed-people", d.admin.token);
    EXPECT_TRUE(empty.body["removed_people"].empty()) << empty;
}

}  // namespace
}  // namespace parley::it
