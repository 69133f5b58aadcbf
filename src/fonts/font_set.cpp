// FontSet (the faces of one document) and the process-wide face cache.
#include "fonts/fonts.h"

#include <map>

namespace cp::fonts {

FontId FontSet::add(std::shared_ptr<const Face> face) {
  const auto it = by_path_.find(face->path());
  if (it != by_path_.end()) return it->second;
  const auto id = static_cast<FontId>(faces_.size());
  by_path_.emplace(face->path(), id);
  faces_.push_back(std::move(face));
  return id;
}

std::optional<FontId> FontSet::fallback_for(FontId preferred, char32_t cp, Style style) {
  if (preferred >= 0 && static_cast<std::size_t>(preferred) < faces_.size() && face(preferred).covers(cp))
    return preferred;
  for (std::size_t i = 0; i < faces_.size(); ++i)
    if (faces_[i]->covers(cp)) return static_cast<FontId>(i);
  for (const std::string& path : find_covering(cp, style)) {
    auto f = cached_face(path);
    // fontconfig's charset may include characters libharu cannot set.
    if (f && f->covers(cp)) return add(std::move(f));
  }
  return std::nullopt;
}

std::shared_ptr<const Face> cached_face(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Face>> cache;
  {
    std::lock_guard lock(mutex);
    const auto it = cache.find(path);
    if (it != cache.end()) return it->second;
  }
  // Load outside the lock; two threads may load the same file once each,
  // and the first stored wins.
  auto face = Face::load(path);
  if (!face) return nullptr;
  std::lock_guard lock(mutex);
  return cache.emplace(path, std::move(face)).first->second;
}

}  // namespace cp::fonts
