// JSON for the stages that read or write it (manifests, registers, the
// verification data): nlohmann's two document types, compiled once for the
// whole program in json.cpp rather than again in every file that uses them.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

extern template class nlohmann::basic_json<>;
extern template class nlohmann::basic_json<nlohmann::ordered_map>;

namespace cp::json {

// `text` parsed; a discarded value (`is_discarded()`) when it is not JSON.
nlohmann::json parse(std::string_view text);

}  // namespace cp::json
