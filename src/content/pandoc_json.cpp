// Checked reading of Pandoc's JSON (content/pandoc_json.h).
#include "content/pandoc_json.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace cp::content::detail {

long long integer(const json& j, const char* what) {
  if (j.is_number_integer()) return j.get<long long>();
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(std::numeric_limits<long long>::max())
               ? std::numeric_limits<long long>::max()
               : static_cast<long long>(u);
  }
  throw Malformed{std::string(what) + " is not an integer"};
}

int small_int(const json& j, const char* what, int lo, int hi) {
  const long long v = integer(j, what);
  return static_cast<int>(std::clamp<long long>(v, lo, hi));
}

Attr attr(const json& j) {
  Attr a;
  a.id = string(item(j, 0, "attributes"), "an identifier");
  for (const auto& c : array(item(j, 1, "attributes"), "classes")) a.classes.push_back(string(c, "a class"));
  for (const auto& kv : array(item(j, 2, "attributes"), "key-value attributes"))
    a.pairs.emplace_back(string(item(kv, 0, "an attribute"), "an attribute name"),
                         string(item(kv, 1, "an attribute"), "an attribute value"));
  return a;
}

void check_version(const json& root) {
  const auto it = root.find("pandoc-api-version");
  if (it == root.end() || !it->is_array() || it->size() < 2 || !(*it)[0].is_number_integer() ||
      !(*it)[1].is_number_integer())
    throw Unsupported{"Pandoc's output has no pandoc-api-version"};
  const long long major = (*it)[0].get<long long>();
  const long long minor = (*it)[1].get<long long>();
  if (major != 1 || (minor != 22 && minor != 23)) {
    std::string v;
    for (const auto& part : *it) {
      if (!part.is_number_integer()) break;
      if (!v.empty()) v += '.';
      v += std::to_string(part.get<long long>());
    }
    throw Unsupported{"Pandoc's output uses pandoc-types API " + v + "; coursepack supports " +
                      std::string(kSupportedPandocApi)};
  }
}

}  // namespace cp::content::detail
