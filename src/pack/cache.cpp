#include "pack/cache.h"

#include <system_error>

#include "core/files.h"
#include "pack/ownership.h"
#include "pack/pack.h"

namespace cp::pack {

namespace fs = std::filesystem;

namespace {

class CacheFolder final : public CacheStore {
 public:
  explicit CacheFolder(fs::path dir) : dir_(std::move(dir)) {}
  fs::path path(std::string_view name) const override { return dir_ / name; }
  bool write(std::string_view name, std::string_view bytes, bool sync) override {
    return files::write_private_file(dir_ / name, bytes, sync);
  }
  void remove(std::string_view name) override {
    std::error_code ec;
    fs::remove(dir_ / name, ec);
  }

 private:
  fs::path dir_;
};

}  // namespace

fs::path cache_path(const fs::path& out_dir, std::string_view name) { return out_dir / ".cache" / name; }

std::shared_ptr<CacheStore> cache_folder(fs::path dir) { return std::make_shared<CacheFolder>(std::move(dir)); }

std::string write_cache_file(const fs::path& out_dir, std::string_view name, const std::string& bytes) {
  const fs::path file = cache_path(out_dir, name);
  const auto have = files::read_file(file, 256u * 1024u * 1024u);
  if (have.status == files::ReadStatus::Ok && have.bytes == bytes) return {};
  if (is_claimed(out_dir)) files::create_private_dirs(file.parent_path());
  return write_file(file, bytes, 0600);
}

}  // namespace cp::pack
