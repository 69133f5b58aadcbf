#include "core/file_store.h"

#include "core/sha256.h"

namespace cp::files {

namespace {

std::shared_ptr<const StoredFile> read_now(const std::filesystem::path& path, std::size_t max_bytes) {
  ReadResult r = read_file(path, max_bytes);
  auto f = std::make_shared<StoredFile>();
  f->status = r.status;
  f->message = std::move(r.message);
  if (r.status == ReadStatus::Ok) {
    f->sha256 = sha256_hex(r.bytes);
    f->bytes = std::move(r.bytes);
  }
  return f;
}

}  // namespace

std::shared_ptr<const StoredFile> FileStore::get(const std::filesystem::path& path) {
  const std::string key = path.lexically_normal().string();
  std::promise<std::shared_ptr<const StoredFile>> mine;
  std::shared_future<std::shared_ptr<const StoredFile>> file;
  bool reader = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(key); it != files_.end()) {
      file = it->second;
    } else {
      file = mine.get_future().share();
      files_.emplace(key, file);
      ++reads_;
      reader = true;
    }
  }
  // Read outside the lock, once: a second caller for the same file waits
  // for the first one's bytes.
  if (reader) mine.set_value(read_now(path, max_bytes_));
  return file.get();
}

void FileStore::add(const std::filesystem::path& path, std::string bytes, std::string sha256) {
  auto f = std::make_shared<StoredFile>();
  f->bytes = std::move(bytes);
  f->sha256 = std::move(sha256);
  std::promise<std::shared_ptr<const StoredFile>> ready;
  ready.set_value(std::move(f));
  std::lock_guard lock(mutex_);
  files_.emplace(path.lexically_normal().string(), ready.get_future().share());
}

std::size_t FileStore::reads() const {
  std::lock_guard lock(mutex_);
  return reads_;
}

std::shared_ptr<const StoredFile> read_shared(FileStore* store, const std::filesystem::path& path,
                                              std::size_t max_bytes) {
  if (!store) return read_now(path, max_bytes);
  auto f = store->get(path);
  if (f->status != ReadStatus::Ok || f->bytes.size() <= max_bytes) return f;
  auto refused = std::make_shared<StoredFile>();  // within the store's limit, not the caller's
  refused->status = ReadStatus::TooLarge;
  refused->message = too_large_message(f->bytes.size(), max_bytes);
  return refused;
}

}  // namespace cp::files
