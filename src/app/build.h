// `coursepack build`: every visit's pack, in parallel, written atomically,
// skipped when its inputs are unchanged.
#pragma once

#include <filesystem>
#include <string>

#include "app/cli.h"
#include "model/model.h"

namespace cp::app {

int run_build(const Options& options, const Environment& env);

// built / stale / missing, from the pack's manifest and the current inputs.
std::string pack_status(const model::Programme& programme, const model::Municipality& m, const model::Visit& v,
                        const std::filesystem::path& out_dir);

}  // namespace cp::app
