// `coursepack send`: each attending participant of a held visit gets their
// certificate by e-mail, exactly once (see mail/send_log.h).
#pragma once

#include "app/cli.h"

namespace cp::app {

int run_send(const Options& options, const Environment& env);

}  // namespace cp::app
