// Which Pandoc this is: `pandoc --version` asked once per cache (and, with a
// store, once per Pandoc binary across runs), and refused when too old.
#pragma once

#include "content/pandoc_cache.h"
#include "content/process.h"

namespace cp::content::detail {

// Pandoc's version line, or the environment error of a Pandoc that is
// missing, fails, or is older than kMinPandocMajor.kMinPandocMinor.
VersionCheck check_version(ProcessRunner& runner, PandocCache::State& st);

}  // namespace cp::content::detail
