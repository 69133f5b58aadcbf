// Fuzz target: YAML text → load::parse_yaml (depth pre-check, alias
// expansion limit, location tracking). Must never crash or hang; every
// successful parse must have a root and respect the node limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "load/source.h"
#include "load/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cp::Diagnostics diags;
  // The same path every real YAML file takes: decode, then parse.
  const auto text = cp::load::decode_text(bytes, "fuzz.yaml", diags);
  if (!text) return 0;
  (void)cp::load::find_excess_depth(*text);
  auto doc = cp::load::parse_yaml(*text, "fuzz.yaml", diags);
  if (doc) {
    if (doc->root == nullptr) std::abort();
    if (doc->root->expanded > cp::load::kMaxYamlNodes) std::abort();
  }
  return 0;
}
