#pragma once
// JsonBody: a request body parsed strictly. Not JSON or not an object: 400 malformed_json;
// a field that the endpoint does not know: 400 unknown_field (typos never pass silently);
// a field of the wrong type: 400 wrong_type; a required field missing: 422 missing_field.
// Each error names the field.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace parley::http {

class JsonBody {
public:
    // An empty body counts as {} so that endpoints whose fields are all optional accept it.
    static Result<JsonBody> parse(const std::string& body,
                                  std::initializer_list<std::string_view> allowed_fields);

    Result<std::string> required_string(const char* field) const;
    Result<std::optional<std::string>> optional_string(const char* field) const;
    Result<std::optional<std::int64_t>> optional_int(const char* field) const;
    Result<std::optional<bool>> optional_bool(const char* field) const;
    // Absent: empty vector. Each element must be a string.
    Result<std::vector<std::string>> string_array(const char* field) const;
    bool has(const char* field) const { return json_.contains(field); }
    const nlohmann::json& json() const { return json_; }

private:
    explicit JsonBody(nlohmann::json json) : json_(std::move(json)) {}
    nlohmann::json json_;
};

}  // namespace parley::http
