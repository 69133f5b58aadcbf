#include "pack/listing.h"

#include <system_error>

#include "core/files.h"
#include "core/json.h"

namespace cp::pack {

namespace fs = std::filesystem;

std::optional<PackListing> read_pack_listing(const fs::path& out_dir, const std::string& slug,
                                             const std::string& visit) {
  const auto r = files::read_file(out_dir / slug / visit / "manifest.json");
  if (r.status != files::ReadStatus::Ok) return std::nullopt;
  const auto man = cp::json::parse(r.bytes);
  if (!man.is_object() || !man.contains("outputs") || !man["outputs"].is_array()) return std::nullopt;
  PackListing listing;
  for (const auto& o : man["outputs"])
    if (o.is_object() && o.contains("file") && o["file"].is_string()) listing.files.push_back(o["file"].get<std::string>());
  if (man.contains("certificates") && man["certificates"].is_number())
    listing.certificates = man["certificates"].get<long>();
  if (man.contains("purged") && man.contains("registered") && man["registered"].is_number_integer())
    listing.purged_registered = man["registered"].get<long>();
  return listing;
}

bool out_has(const fs::path& out_dir, const std::string& name) {
  std::error_code ec;
  return fs::exists(out_dir / name, ec);
}

}  // namespace cp::pack
