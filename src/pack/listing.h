// What out/ holds, read back for the index page: which top-level files
// exist and, per pack, the files its manifest lists.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cp::pack {

struct PackListing {
  std::vector<std::string> files;    // the manifest's outputs, in its order
  std::optional<long> certificates;  // the manifest's count, when it has one
  // A purged pack (pack/retention.h): the registered count it recorded.
  std::optional<long> purged_registered;
};

// The pack out/<slug>/<visit>/ as its manifest.json lists it; nullopt when
// there is no manifest that can be read as one.
std::optional<PackListing> read_pack_listing(const std::filesystem::path& out_dir, const std::string& slug,
                                             const std::string& visit);

// Whether out/<name> exists (report.pdf, calendar.ics).
bool out_has(const std::filesystem::path& out_dir, const std::string& name);

}  // namespace cp::pack
