// out/index.html: every pack, linked, with counts. A static page with no
// scripts or outside resources, so it works opened from disk.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/model.h"

namespace cp::app {

// Built from the programme and each pack's manifest.json (packs not built
// yet are listed as missing). `built_at` is shown as the build time. `kept`
// (slug/visit) are held visits' packs kept although their visits are no
// longer in the data: listed after the programme's visits, as kept.
std::string index_page(const model::Programme& programme, const std::filesystem::path& out_dir,
                       long long built_at, const std::vector<std::string>& kept = {});

}  // namespace cp::app
