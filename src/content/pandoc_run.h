// One text through Pandoc: its output from memory, the store or a run of
// `pandoc -f markdown -t json`, and what a failed run means (the text's
// fault or Pandoc's).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "content/pandoc_cache.h"
#include "content/process.h"

namespace cp::content::detail {

inline constexpr std::size_t kMaxPandocOutput = 64u * 1024u * 1024u;

// Pandoc's output for one text, before conversion.
struct PandocOutput {
  Status status = Status::Ok;
  std::string message;   // when not Ok
  SourceLoc error_loc;   // for input errors
  std::string json;
  std::string warnings;  // Pandoc's stderr
};

// A run that failed for a reason of Pandoc's or the machine's, not the
// text's: hung (killed at the timeout), killed by a signal, not started, or
// exited with a status other than a parse error's. One line for the user.
std::optional<std::string> environment_failure(const ProcessResult& r, const PandocOptions& options);

// Pandoc's output for `bytes` (kept under `key`): from memory, the store
// (when `from_disk_allowed`), or a run. `base` is where input errors are
// reported; `leading_front_matter` lets a YAML error name its line.
PandocOutput pandoc_output(const std::string& key, std::string_view bytes, bool from_disk_allowed,
                           const SourceLoc& base, bool leading_front_matter, ProcessRunner& runner,
                           PandocCache::State& st);

}  // namespace cp::content::detail
