// Files read once for a whole run and shared between the stages: the bytes
// a pack's input hash is taken of are the bytes layout sizes an image with
// and render draws, so an edit saved during a build can never be drawn
// under the hash of what was there before (or the other way round).
#pragma once

#include <cstddef>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/files.h"

namespace cp::files {

struct StoredFile {
  ReadStatus status = ReadStatus::Ok;
  std::string message;  // for anything but Ok (read_file's)
  std::string bytes;    // when Ok
  std::string sha256;   // hex of `bytes` when Ok
};

class FileStore {
 public:
  explicit FileStore(std::size_t max_bytes = 256u * 1024u * 1024u) : max_bytes_(max_bytes) {}
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  // The file at `path`, read on first use (read_file, at most max_bytes);
  // later calls for the same path get the same bytes. Thread-safe.
  std::shared_ptr<const StoredFile> get(const std::filesystem::path& path);

  // A file already read (validation's bytes): get() returns it and does
  // not read it again. An entry already there is kept.
  void add(const std::filesystem::path& path, std::string bytes, std::string sha256);

  // How many files were read from disk.
  std::size_t reads() const;

 private:
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_future<std::shared_ptr<const StoredFile>>> files_;
  std::size_t reads_ = 0;
};

// The file through `store` when there is one, else straight from disk;
// either way TooLarge (read_file's message) when over `max_bytes`.
std::shared_ptr<const StoredFile> read_shared(FileStore* store, const std::filesystem::path& path,
                                              std::size_t max_bytes = 256u * 1024u * 1024u);

}  // namespace cp::files
