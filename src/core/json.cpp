#include "core/json.h"

template class nlohmann::basic_json<>;
template class nlohmann::basic_json<nlohmann::ordered_map>;

namespace cp::json {

nlohmann::json parse(std::string_view text) { return nlohmann::json::parse(text, nullptr, false); }

}  // namespace cp::json
