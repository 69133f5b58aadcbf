// out/index.html: every pack, linked, with counts. A static page with no
// scripts or outside resources, so it works opened from disk.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace cp::html {

// What out/ holds, as the page shows it (pack/listing.h reads it).
struct OutListing {
  bool report = false;    // out/report.pdf
  bool calendar = false;  // out/calendar.ics
  struct Pack {
    std::vector<std::string> files;         // the manifest's outputs, in its order
    std::optional<long> certificates;       // the manifest's count
    std::optional<long> purged_registered;  // a purged pack: the registered count it recorded
  };
  // By "<slug>/<visit key>"; a visit without a pack (no readable manifest)
  // is listed as not built.
  std::map<std::string, Pack> packs;
  // Held visits' packs kept although their visits are no longer in the
  // data, by "<slug>/<visit key>": listed after the programme's visits.
  std::map<std::string, Pack> kept;
};

// The page; `built_at` (seconds since the epoch) is shown as the build time.
std::string index_page(const model::Programme& programme, const OutListing& out, long long built_at);

}  // namespace cp::html
