// A folder of cache files kept between runs, read and written through this
// interface by the stages that keep work (Pandoc's output, handout.html's
// converted blocks) without writing files themselves: pack/cache.h gives
// the one under out/.cache/, the only place a build keeps them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/files.h"

namespace cp {

class CacheStore {
 public:
  virtual ~CacheStore() = default;

  // Where the entry `name` (a plain file name) is, for reading it or for
  // naming it to a program (a Pandoc filter).
  virtual std::filesystem::path path(std::string_view name) const = 0;
  // Writes the entry as the owner's alone, all or nothing; `sync` makes it
  // durable first. False when it cannot be kept, which only costs work.
  virtual bool write(std::string_view name, std::string_view bytes, bool sync) = 0;
  // Removes the entry if it is there.
  virtual void remove(std::string_view name) = 0;

  files::ReadResult read(std::string_view name, std::size_t max_bytes) const {
    return files::read_file(path(name), max_bytes);
  }
  bool exists(std::string_view name) const {
    std::error_code ec;
    return std::filesystem::exists(path(name), ec);
  }
};

}  // namespace cp
