// coursepack purge: the personal data of visits past the retention period
// (project.yaml `retention`) removed from out/, their numbers kept.
#pragma once

#include "app/cli.h"

namespace cp::app {

int run_purge(const Options& options, const Environment& env);

}  // namespace cp::app
