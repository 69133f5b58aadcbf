// What a PandocCache holds and shares between threads: Pandoc's version,
// Pandoc's JSON for each text, each text's conversion once finished, and
// the first failure of Pandoc itself; the keys it is kept under.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "content/pandoc.h"

namespace cp::content {

namespace detail {

// What one text became: kept per (text, location) in memory.
struct Parsed {
  Status status = Status::Ok;
  std::string message;
  doc::Module module;
};

struct VersionCheck {
  Status status = Status::Ok;
  std::string message;
  std::string line;  // "pandoc 2.17.1.1"
};

// One cached text; its mutex makes concurrent requests for the same text
// wait for the first instead of running Pandoc twice.
struct Slot {
  std::mutex mutex;
  bool done = false;
  Parsed parsed;
};

}  // namespace detail

struct PandocCache::State {
  std::shared_ptr<CacheStore> store;  // null: memory only
  PandocOptions options;

  std::mutex version_mutex;  // held while Pandoc's version is asked for
  mutable std::mutex mutex;  // guards everything below
  std::optional<detail::VersionCheck> version;
  std::map<std::string, std::shared_ptr<detail::Slot>> slots;  // by text hash + location
  std::map<std::string, std::string> json;                     // Pandoc output by text hash
  // The first environment error of a conversion (Pandoc hung, crashed or
  // failed on its own account): every later text fails with it at once
  // instead of starting Pandoc again.
  std::optional<std::string> failure;
  Stats stats;
};

// The conversion pipeline, with access to the cache's state.
struct PandocAccess {
  static PandocCache::State& state(PandocCache& c) { return *c.state_; }
};

namespace detail {

// The key of Pandoc's output for a text: Pandoc's version, the arguments
// and the text.
std::string text_key(const std::string& version_line, const PandocOptions& options, std::string_view bytes);

// Keeps Pandoc's output for a text in memory and, with a store, on disk.
void remember_output(PandocCache::State& st, const std::string& key, std::string json);

// Keeps the first failure of Pandoc itself.
void remember_failure(PandocCache::State& st, const std::string& failure);

}  // namespace detail

}  // namespace cp::content
