// ParagraphCache: set paragraphs kept by every input that decides them.
#include <cstdint>
#include <type_traits>

#include "layout/paragraph.h"

namespace cp::layout {

namespace {

// The cache key: every input of set_paragraph, as bytes.
class KeyWriter {
 public:
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    key_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void text(std::string_view s) {
    value(s.size());
    key_ += s;
  }
  std::string take() { return std::move(key_); }

 private:
  std::string key_;
};

std::string paragraph_key(const std::vector<Piece>& pieces, double width, const ParagraphSpec& spec,
                          const fonts::FontSet& fonts, const Hyphenator* hyphenator) {
  KeyWriter k;
  k.value(width);
  k.value(spec.align);
  k.value(spec.hyphenate);
  k.value(spec.min_word_chars);
  k.value(spec.min_left);
  k.value(spec.min_right);
  k.value(spec.pretolerance);
  k.value(spec.tolerance);
  k.value(spec.hyphen_penalty);
  k.value(spec.component_hyphen_penalty);
  k.value(spec.max_hyphen_run);
  k.value(spec.final_hyphen);
  k.value(spec.hyphenate_last_word);
  k.value(spec.double_hyphen_demerits);
  k.value(spec.final_hyphen_demerits);
  k.value(spec.final_hyphen_tolerance);
  k.value(spec.space_stretch);
  k.value(spec.space_shrink);
  k.value(spec.ragged_stretch_em);
  k.value(spec.emergency_stretch_em);
  k.value(reinterpret_cast<std::uintptr_t>(hyphenator));
  k.value(fonts.size());
  for (std::size_t i = 0; i < fonts.size(); ++i) k.text(fonts.face(static_cast<fonts::FontId>(i)).path());
  k.value(pieces.size());
  for (const auto& p : pieces) {
    k.value(p.kind);
    k.text(p.text);
    const TextStyle& s = p.style;
    k.value(s.font);
    k.value(s.style);
    k.value(s.size);
    k.value(s.color.r);
    k.value(s.color.g);
    k.value(s.color.b);
    k.text(s.link);
    k.value(s.hyphenate);
    k.value(s.underline);
    k.value(s.node);
  }
  return k.take();
}

}  // namespace

std::vector<SetLine> ParagraphCache::lines(const std::vector<Piece>& pieces, double width, const ParagraphSpec& spec,
                                           fonts::FontSet& fonts, const Hyphenator* hyphenator,
                                           const SourceLoc& where, Diagnostics* diags) {
  ParagraphSpec constant = spec;
  constant.width = [width](std::size_t) { return width; };
  std::string key = paragraph_key(pieces, width, spec, fonts, hyphenator);
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      ++hits_;
      return *it->second;
    }
  }
  // Set outside the lock, with the diagnostics kept apart to see whether
  // there were any.
  const std::size_t faces = fonts.size();
  Diagnostics own;
  auto set = std::make_shared<const std::vector<SetLine>>(
      set_paragraph(pieces, constant, fonts, hyphenator, where, &own));
  bool keep = fonts.size() == faces;
  for (auto& d : own.all()) {
    keep = false;  // kept, a later caller would not hear of it
    if (diags) diags->add(std::move(d));
  }
  if (keep) {
    std::lock_guard lock(mutex_);
    if (entries_.size() < max_entries_) entries_.emplace(std::move(key), set);
  }
  return *set;
}

std::size_t ParagraphCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::size_t ParagraphCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace cp::layout
