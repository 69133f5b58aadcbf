// The county-wide record of certificates: kept up to date by every build
// (out/.register.json, out/register.csv), and `coursepack publish`, which
// writes the verification page out/verify/ from it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/cli.h"
#include "model/model.h"

namespace cp::app {

// Brings the register up to date with the certificates the data issues,
// for the visits `only` selects (all when empty; then visits no longer in
// the data have their certificates revoked). Writes the files only when
// they change. Empty, or the error.
std::string update_certificate_register(const model::Programme& programme, const std::filesystem::path& out,
                                        const std::string& only);

// Replaces the register's rows of the packs `packs` (slug/visit) by one
// anonymous count each (coursepack purge); `rows` gets how many rows went.
// With `dry_run` only counts. Empty, or the error.
std::string erase_from_register(const std::filesystem::path& out, const std::vector<std::string>& packs,
                                const std::string& erased_on, bool dry_run, std::size_t& rows);

int run_publish(const Options& options, const Environment& env);

}  // namespace cp::app
