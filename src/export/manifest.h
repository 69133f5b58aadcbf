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
  // Relative to the pack, e.g. "handout.pdf"; empty for a certificate,
  // which is listed by its number (its file name is made from the
  // participant's name, and a manifest names no one).
  std::string file;
  std::optional<std::size_t> certificate;  // 1-based, certificates/NN-*.pdf
  std::string sha256;                // hex
  std::size_t bytes = 0;
  std::optional<std::size_t> pages;  // PDFs only
};

// An output entry for these bytes.
Output output(std::string file, const std::string& bytes, std::optional<std::size_t> pages);
// Certificate `number`'s entry: its hash, size and one page, no file name.
Output certificate_output(std::size_t number, const std::string& bytes);

struct Manifest {
  std::string tool;  // "coursepack 0.1.0"
  std::string municipality;  // slug
  std::string visit;         // the visit's key
  std::string status;        // "planned", "held" or "cancelled": a held pack outlives its visit
  std::string inputs_hash;
  std::size_t registered = 0;
  std::size_t certificates = 0;
  std::vector<std::pair<std::string, std::string>> inputs;  // (name, SHA-256)
  std::vector<Output> outputs;
};

// The file's bytes: JSON, keys sorted, indented by two, ending in a newline.
std::string manifest_json(const Manifest& m);

}  // namespace cp::manifest
