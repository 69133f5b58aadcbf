// A pack's manifest.json: what the pack was made from (each input's
// SHA-256, and their combined hash that decides a rebuild) and every file
// in it with its SHA-256, size and pages. pack/ reads it back to tell
// whether a pack is complete (pack::check_pack).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cp::manifest {

struct Output {
  std::string file;                  // relative to the pack, e.g. "certificates/01-asa-berg.pdf"
  std::string sha256;                // hex
  std::size_t bytes = 0;
  std::optional<std::size_t> pages;  // PDFs only
};

// An output entry for these bytes.
Output output(std::string file, const std::string& bytes, std::optional<std::size_t> pages);

struct Manifest {
  std::string tool;  // "coursepack 0.1.0"
  std::string municipality;  // slug
  std::string visit;         // the visit's key
  std::string inputs_hash;
  std::size_t registered = 0;
  std::size_t certificates = 0;
  std::vector<std::pair<std::string, std::string>> inputs;  // (name, SHA-256)
  std::vector<Output> outputs;
};

// The file's bytes: JSON, keys sorted, indented by two, ending in a newline.
std::string manifest_json(const Manifest& m);

}  // namespace cp::manifest
