#include "http/json_body.hpp"

#include <algorithm>

namespace parley::http {
namespace {

std::unexpected<Error> wrong_type(const char* field, const char* expected) {
    return fail(ErrorKind::bad_request, "wrong_type",
                std::string("Field \"") + field + "\" must be " + expected + ".");
}

}  // namespace

Result<JsonBody> JsonBody::parse(const std::string& body,
                                 std::initializer_list<std::string_view> allowed_fields) {
    if (std::all_of(body.begin(), body.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
        return JsonBody(nlohmann::json::object());
    }
    auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
        return fail(ErrorKind::bad_request, "malformed_json",
                    "The request body is not valid JSON.");
    }
    if (!json.is_object()) {
        return fail(ErrorKind::bad_request, "malformed_json",
                    "The request body must be a JSON object.");
    }
    for (const auto& [key, value] : json.items()) {
        if (std::find(allowed_fields.begin(), allowed_fields.end(), key) == allowed_fields.end()) {
            return fail(ErrorKind::bad_request, "unknown_field",
                        "Unknown field \"" + key + "\" in the request body.");
        }
    }
    return JsonBody(std::move(json));
}

Result<std::string> JsonBody::required_string(const char* field) const {
    PARLEY_TRY_ASSIGN(auto value, optional_string(field));
    if (!value) {
        return fail(ErrorKind::invalid, "missing_field",
                    std::string("Field \"") + field + "\" is required.");
    }
    return *value;
}

Result<std::optional<std::string>> JsonBody::optional_string(const char* field) const {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) return wrong_type(field, "a string");
    return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<std::int64_t>> JsonBody::optional_int(const char* field) const {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null()) return std::optional<std::int64_t>();
    if (!it->is_number_integer()) return wrong_type(field, "an integer");
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) {
        return wrong_type(field, "an integer within 64 bits");
    }
    return std::optional<std::int64_t>(it->get<std::int64_t>());
}

Result<std::optional<bool>> JsonBody::optional_bool(const char* field) const {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null()) return std::optional<bool>();
    if (!it->is_boolean()) return wrong_type(field, "true or false");
    return std::optional<bool>(it->get<bool>());
}

Result<std::vector<std::string>> JsonBody::string_array(const char* field) const {
    std::vector<std::string> out;
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null()) return out;
    if (!it->is_array()) return wrong_type(field, "an array of strings");
    for (const auto& item : *it) {
        if (!item.is_string()) return wrong_type(field, "an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace parley::http
