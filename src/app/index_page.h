// out/index.html: every pack, linked, with counts. A static page with no
// scripts or outside resources, so it works opened from disk.
#pragma once

#include <filesystem>
#include <string>

#include "model/model.h"

namespace cp::app {

// Built from the programme and each pack's manifest.json (packs not built
// yet are listed as missing). `built_at` is shown as the build time.
std::string index_page(const model::Programme& programme, const std::filesystem::path& out_dir,
                       long long built_at);

}  // namespace cp::app
