// The Pandoc cache's state and keys (content/pandoc_cache.h).
#include "content/pandoc_cache.h"

#include "core/sha256.h"

namespace cp::content {

PandocCache::PandocCache(std::shared_ptr<CacheStore> store, PandocOptions options)
    : state_(std::make_unique<State>()) {
  state_->store = std::move(store);
  state_->options = std::move(options);
}

PandocCache::~PandocCache() = default;

PandocCache::Stats PandocCache::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

const PandocOptions& PandocCache::options() const { return state_->options; }

std::string PandocCache::version() const {
  std::lock_guard lock(state_->mutex);
  return state_->version && state_->version->status == Status::Ok ? state_->version->line : std::string{};
}

namespace detail {

// The key of Pandoc's output for a text: Pandoc's version, the arguments
// and the text.
std::string text_key(const std::string& version_line, const PandocOptions& options, std::string_view bytes) {
  std::string key_text = version_line;
  for (const auto& a : pandoc_arguments(options)) key_text += "\n" + a;
  key_text += "\n\n";
  key_text += bytes;
  return sha256_hex(key_text);
}

// Keeps Pandoc's output for a text in memory and, with a store, on disk.
void remember_output(PandocCache::State& st, const std::string& key, std::string json) {
  if (st.store) {
    st.store->remove(key + ".stderr");
    st.store->write(key + ".json", json, true);
  }
  std::lock_guard lock(st.mutex);
  st.json.emplace(key, std::move(json));
}

void remember_failure(PandocCache::State& st, const std::string& failure) {
  std::lock_guard lock(st.mutex);
  if (!st.failure) st.failure = failure;
}

}  // namespace detail

}  // namespace cp::content
