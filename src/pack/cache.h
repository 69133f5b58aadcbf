// The caches a build keeps between runs, under out/.cache/: Pandoc's
// output of each text (out/.cache/pandoc), handout.html's converted blocks
// (out/.cache/html) and the verification page's keys. The stages that keep
// them read and write through core/cache_store.h; the files are made here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/cache_store.h"

namespace cp::pack {

// out/.cache/<name>
std::filesystem::path cache_path(const std::filesystem::path& out_dir, std::string_view name);

// A cache kept in `dir` (made 0700 when first written to, as are its
// missing parents); entries are 0600, written to a temporary file beside
// them and renamed.
std::shared_ptr<CacheStore> cache_folder(std::filesystem::path dir);

// Writes the file out/.cache/<name> of a claimed out/ atomically (0600,
// synced, pack::write_file) unless it already holds `bytes`; out/.cache is
// made when missing. Empty, or the error.
std::string write_cache_file(const std::filesystem::path& out_dir, std::string_view name, const std::string& bytes);

}  // namespace cp::pack
