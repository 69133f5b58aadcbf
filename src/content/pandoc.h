// Markdown → document tree through Pandoc, cached by content hash.
//
//   pandoc -f markdown -t json --sandbox   (Markdown on stdin, 30 s timeout)
//
// Pandoc's JSON for a text is cached by SHA-256 of (Pandoc's version line,
// the arguments, the text): in memory for the life of a PandocCache (shared by
// every visit and thread, so 26 handouts run Pandoc once per module) and,
// when a store is given, across runs (`<hash>.json` in out/.cache/pandoc,
// written atomically by pack/cache.h).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/document.h"
#include "content/pandoc_ast.h"
#include "content/process.h"
#include "core/cache_store.h"
#include "core/diagnostics.h"

namespace cp::content {

struct PandocOptions {
  std::string program = "pandoc";  // a name on the runner's PATH, or a path
  std::chrono::milliseconds timeout{30'000};
};

// The oldest Pandoc accepted (the first with --sandbox).
inline constexpr int kMinPandocMajor = 2;
inline constexpr int kMinPandocMinor = 15;

// The argument vector for one conversion (argv[0] = options.program).
std::vector<std::string> pandoc_arguments(const PandocOptions& options);

class PandocCache {
 public:
  // `store`: where Pandoc's output is kept across runs (out/.cache/pandoc,
  // pack::cache_folder); null = memory only.
  explicit PandocCache(std::shared_ptr<CacheStore> store = nullptr, PandocOptions options = {});
  ~PandocCache();
  PandocCache(const PandocCache&) = delete;
  PandocCache& operator=(const PandocCache&) = delete;

  struct Stats {
    std::size_t pandoc_runs = 0;     // conversions Pandoc actually ran (not counting --version)
    std::size_t version_checks = 0;  // `pandoc --version` runs (at most one per cache)
    std::size_t memory_hits = 0;     // texts served from memory
    std::size_t disk_hits = 0;       // Pandoc output read from the store
  };
  Stats stats() const;
  const PandocOptions& options() const;
  // Pandoc's version line ("pandoc 2.17.1.1") once a text has been parsed;
  // empty before, or when Pandoc could not be asked.
  std::string version() const;

  struct State;  // internal

 private:
  friend struct PandocAccess;
  std::unique_ptr<State> state_;
};

struct ModuleResult {
  Status status = Status::Ok;
  std::string message;  // when not Ok (input errors are also in the Diagnostics)
  doc::Module module;
};

struct BlocksResult {
  Status status = Status::Ok;
  std::string message;
  doc::Blocks blocks;
};

// A module file: `path` relative to the root as diagnostics print it (e.g.
// materials/modules/01-begrepp.md), `bytes` its content. Warnings and input
// errors are reported to `diags` the first time a text is converted in this
// cache only, so 26 visits do not repeat them 26 times.
ModuleResult parse_module(std::string_view path, std::string_view bytes, ProcessRunner& runner, PandocCache& cache,
                          Diagnostics& diags);

// A Markdown string from YAML (a municipality's `notes`); every block and
// diagnostic gets `loc`.
BlocksResult parse_markdown_string(std::string_view text, const SourceLoc& loc, ProcessRunner& runner,
                                   PandocCache& cache, Diagnostics& diags);

}  // namespace cp::content
