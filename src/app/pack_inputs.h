// What a pack is made from, hashed: the manifest lists each input with its
// SHA-256 and their combined hash decides whether the pack is rebuilt.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/file_store.h"
#include "model/model.h"

namespace cp::app {

// Everything a pack is made from, as (name, hash) pairs: the manifest lists
// them and their combined hash decides whether the pack is rebuilt. What
// every pack shares (project, contacts, layouts) is hashed once, and each
// file once, however many packs ask.
class PackHasher {
 public:
  // Files validation did not parse (images) are read through `store` when
  // given, so the bytes hashed are the bytes the pack is made from.
  explicit PackHasher(const model::Programme& programme, files::FileStore* store = nullptr);
  ~PackHasher();
  PackHasher(const PackHasher&) = delete;
  PackHasher& operator=(const PackHasher&) = delete;
  std::vector<std::pair<std::string, std::string>> inputs(const model::Municipality& m, const model::Visit& v);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The hash of all of a pack's inputs together (the manifest's inputs_hash).
std::string combined_hash(const std::vector<std::pair<std::string, std::string>>& inputs);

// built / stale / missing, from the pack's manifest and the current inputs.
std::string pack_status(PackHasher& hasher, const model::Municipality& m, const model::Visit& v,
                        const std::filesystem::path& out_dir);

// What validation read of an input file (its bytes and hash), when it did.
const model::Programme::Input* read_input(const model::Programme& programme, const std::filesystem::path& p);

}  // namespace cp::app
