#include "layout/hyphenate.h"

#include <hunspell.h>
#include <hyphen.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include "core/text.h"

namespace cp::layout {

namespace {

constexpr const char* kSwedishDictionary = "/usr/share/hyphen/hyph_sv_SE.dic";
constexpr const char* kSwedishCompoundsAff = "/usr/share/hunspell/sv_SE.aff";
constexpr const char* kSwedishCompoundsDic = "/usr/share/hunspell/sv_SE.dic";

// Domain words hyph_sv_SE.dic breaks misleadingly (the fog-s or the first
// part's last letter moved to the next line; see FACTS, "Hyphenation
// pitfalls"). Whole word forms, as in TeX's \hyphenation.
constexpr const char* kSwedishExceptions[] = {
    "sex-köps-la-gen",       "sex-köps-la-gens",       // not sexköp-slagen
    "tvångs-äk-ten-skap",    "tvångs-äk-ten-ska-pet",  // not tvång-säktenskap
    "tvångs-äk-ten-ska-pen", "barn-äk-ten-skap",       // not bar-näktenskap
    "barn-äk-ten-ska-pet",   "barn-äk-ten-ska-pen",
    "stöd-in-sats",          "stöd-in-sat-ser",        // not stö-dinsatser
    "stöd-in-sat-ser-na",    "he-ders-våld",           // not heder-svåld
};

// Longest part handed to libhyphen (its buffers are sized from the word,
// but nothing longer is a Swedish word).
constexpr std::size_t kMaxPartChars = 120;

struct Char {
  char32_t cp = 0;
  std::size_t offset = 0;  // byte offset in the UTF-8 word
};

std::vector<Char> decode(std::string_view word) {
  std::vector<Char> out;
  std::size_t i = 0;
  while (i < word.size()) {
    const std::size_t at = i;
    const char32_t cp = text::next_code_point(word, i);
    out.push_back({cp, at});
  }
  return out;
}

bool is_hyphen(char32_t cp) { return cp == U'-' || cp == U'\u2010'; }

// Letters of Latin-1 (what the patterns can match).
bool is_latin1_letter(char32_t cp) {
  return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') ||
         (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7);
}

// Letters for the explicit-hyphen rule: Latin-1 letters and anything beyond
// (other scripts); not digits or punctuation.
bool is_letter_like(char32_t cp) { return is_latin1_letter(cp) || cp > 0xFF; }

// Lower case of one character (simple case mapping, Swedish rules through
// cp::text::to_lower for anything beyond ASCII). 0 when the lower case is
// not exactly one character.
char32_t lower(char32_t cp) {
  if (cp < 0x80) return (cp >= U'A' && cp <= U'Z') ? cp + 32 : cp;
  // Latin-1 capitals map 1:1 to their small letters (the common case,
  // without a trip through ICU).
  if (cp <= 0xFF) return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ? cp + 32 : cp;
  std::string utf8;
  text::append_utf8(utf8, cp);
  const std::u32string l = text::decode_utf8(text::to_lower(utf8));
  return l.size() == 1 ? l[0] : 0;
}

bool looks_like_address(std::string_view word) {
  return word.find_first_of("@/:") != std::string_view::npos;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  for (char c : s) text::append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

// libhyphen's output buffers, freed on every path.
struct HyphenOutput {
  char** rep = nullptr;
  int* pos = nullptr;
  int* cut = nullptr;
  int n = 0;
  ~HyphenOutput() {
    if (rep) {
      for (int i = 0; i < n; ++i) std::free(rep[i]);
      std::free(rep);
    }
    std::free(pos);
    std::free(cut);
  }
};

}  // namespace

std::vector<WordBreak> breaks_after_hyphens(std::string_view word) {
  std::vector<WordBreak> out;
  if (looks_like_address(word)) return out;
  const std::vector<Char> chars = decode(word);
  for (std::size_t j = 2; j + 2 < chars.size(); ++j) {  // two characters on each side
    if (!is_hyphen(chars[j].cp)) continue;
    if (!is_letter_like(chars[j - 1].cp) || !is_letter_like(chars[j + 1].cp)) continue;
    WordBreak b;
    b.offset = chars[j + 1].offset;
    b.hyphen = false;
    b.replace_begin = b.replace_end = b.offset;
    out.push_back(b);
  }
  return out;
}

// A Hunspell dictionary, loaded once per process and kept for its life:
// freeing its tables costs as much as building them. Asked one question at
// a time (Hunspell is not thread-safe).
struct SharedDictionary {
  Hunhandle* hunspell = nullptr;  // nullptr when it cannot be loaded
  std::mutex mutex;

  bool spell(const std::string& utf8) {
    std::lock_guard lock(mutex);
    return hunspell && Hunspell_spell(hunspell, utf8.c_str()) != 0;
  }
};

SharedDictionary* shared_dictionary(const std::string& aff, const std::string& dic) {
  static std::mutex mutex;
  // Never destroyed, so the dictionaries stay reachable to the end.
  static auto* loaded = new std::unordered_map<std::string, SharedDictionary*>;
  std::lock_guard lock(mutex);
  const std::string key = aff + '\n' + dic;
  if (const auto it = loaded->find(key); it != loaded->end()) return it->second;
  auto* d = new SharedDictionary;
  d->hunspell = Hunspell_create(aff.c_str(), dic.c_str());
  loaded->emplace(key, d);
  return d;
}

// Where compounds join, from a Hunspell dictionary loaded on first use;
// answers remembered.
class Compounds {
 public:
  Compounds(std::string aff, std::string dic) : aff_(std::move(aff)), dic_(std::move(dic)) {}
  Compounds(const Compounds&) = delete;
  Compounds& operator=(const Compounds&) = delete;

  // Character counts k where chars (lower-case letters) join: chars[0, k)
  // and chars[k, n) are parts.
  std::vector<std::size_t> joins(const std::u32string& chars) {
    std::vector<std::size_t> out;
    if (chars.size() < kLeft + kRight) return out;
    std::string key;
    for (char32_t c : chars) text::append_utf8(key, c);
    std::lock_guard lock(mutex_);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (!dictionary_) dictionary_ = shared_dictionary(aff_, dic_);
    if (dictionary_->hunspell) {
      for (std::size_t k = kLeft; k + kRight <= chars.size(); ++k)
        if (join_at_locked(chars, k)) out.push_back(k);
    }
    cache_.emplace(std::move(key), out);
    return out;
  }

  // Whether k is one of joins(chars), asking the dictionary about that
  // place only (a word's hyphenation points are few of its places).
  bool join_at(const std::u32string& chars, std::size_t k) {
    if (k < kLeft || k + kRight > chars.size()) return false;
    std::lock_guard lock(mutex_);
    if (!dictionary_) dictionary_ = shared_dictionary(aff_, dic_);
    return dictionary_->hunspell && join_at_locked(chars, k);
  }

  bool readable() const { return std::ifstream(aff_).good() && std::ifstream(dic_).good(); }

 private:
  static constexpr std::size_t kLeft = 4, kRight = 5;

  bool join_at_locked(const std::u32string& chars, std::size_t k) {
    if (!word(chars.substr(k))) return false;
    const std::u32string left = chars.substr(0, k);
    if (word(left)) return true;
    const char32_t last = left.back();
    if (last == U's' || last == U'e' || last == U'o' || last == U'u' || last == U'a') {
      const std::u32string stem = left.substr(0, left.size() - 1);
      return word(stem) || word(stem + U"a");  // handels → handel, människo → människa
    }
    return false;
  }

  bool word(const std::u32string& w) {
    std::string utf8;
    for (char32_t c : w) text::append_utf8(utf8, c);
    if (const auto it = words_.find(utf8); it != words_.end()) return it->second;
    const bool ok = dictionary_->spell(utf8);
    words_.emplace(std::move(utf8), ok);
    return ok;
  }

  std::string aff_, dic_;
  std::mutex mutex_;
  SharedDictionary* dictionary_ = nullptr;
  std::unordered_map<std::string, std::vector<std::size_t>> cache_;  // per part
  std::unordered_map<std::string, bool> words_;                      // per question
};

struct Hyphenator::Impl {
  HyphenDict* dict = nullptr;
  // Lower-case UTF-8 word → character indices a break may come before.
  std::unordered_map<std::string, std::vector<std::size_t>> exceptions;
  std::unique_ptr<Compounds> compounds;

  ~Impl() {
    if (dict) hnj_hyphen_free(dict);
  }

  // Breaks inside one hyphen-free part chars[begin, end) of the word.
  void part_breaks(std::string_view word, const std::vector<Char>& chars, std::size_t begin, std::size_t end,
                   std::size_t min_left, std::size_t min_right, std::vector<WordBreak>& out) const;
};

Hyphenator::Hyphenator() : impl_(std::make_unique<Impl>()) {}
Hyphenator::~Hyphenator() = default;

std::unique_ptr<Hyphenator> Hyphenator::load(const std::string& dic_path) {
  // hnj_hyphen_load prints to stderr and returns nullptr for a missing file;
  // check first so a bad path stays quiet.
  if (!std::ifstream(dic_path)) return nullptr;
  HyphenDict* dict = hnj_hyphen_load(dic_path.c_str());
  if (!dict) return nullptr;
  std::unique_ptr<Hyphenator> h(new Hyphenator());
  h->impl_->dict = dict;
  return h;
}

std::unique_ptr<Hyphenator> Hyphenator::swedish() {
  auto h = load(kSwedishDictionary);
  if (h) {
    for (const char* e : kSwedishExceptions) h->add_exception(e);
    if (!h->set_compounds(kSwedishCompoundsAff, kSwedishCompoundsDic)) return nullptr;
  }
  return h;
}

bool Hyphenator::set_compounds(const std::string& aff_path, const std::string& dic_path) {
  auto c = std::make_unique<Compounds>(aff_path, dic_path);
  if (!c->readable()) return false;
  impl_->compounds = std::move(c);
  return true;
}

bool Hyphenator::has_compounds() const { return impl_->compounds != nullptr; }

std::vector<std::size_t> Hyphenator::compound_joins(std::string_view part) const {
  if (!impl_->compounds) return {};
  std::u32string lowered;
  for (char32_t c : text::decode_utf8(part)) {
    const char32_t l = lower(c);
    if (l == 0 || !is_letter_like(l)) return {};
    lowered += l;
  }
  return impl_->compounds->joins(lowered);
}

void Hyphenator::add_exception(std::string_view hyphenated_word) {
  std::string key;
  std::vector<std::size_t> at;
  std::size_t count = 0;
  for (const Char& c : decode(hyphenated_word)) {
    if (c.cp == U'-') {
      at.push_back(count);
      continue;
    }
    const char32_t l = lower(c.cp);
    text::append_utf8(key, l ? l : c.cp);
    ++count;
  }
  if (!key.empty()) impl_->exceptions[key] = std::move(at);
}

void Hyphenator::Impl::part_breaks(std::string_view word, const std::vector<Char>& chars, std::size_t begin,
                                   std::size_t end, std::size_t min_left, std::size_t min_right,
                                   std::vector<WordBreak>& out) const {
  const std::size_t len = end - begin;
  if (len < min_left + min_right || len > kMaxPartChars) return;
  // Lower-cased Latin-1 bytes of the part; letters only, and an upper-case
  // letter only in first position.
  std::string latin1;
  latin1.reserve(len);
  for (std::size_t k = begin; k < end; ++k) {
    const char32_t l = lower(chars[k].cp);
    if (l == 0 || !is_latin1_letter(l)) return;
    if (l != chars[k].cp && k != begin) return;
    latin1.push_back(static_cast<char>(static_cast<unsigned char>(l)));
  }
  auto offset_of = [&](std::size_t k) { return k < chars.size() ? chars[k].offset : word.size(); };
  // Only the hyphenation points are asked about (compound_joins asks about
  // every place of the part).
  std::u32string lowered;
  if (compounds)
    for (char c : latin1) lowered += static_cast<char32_t>(static_cast<unsigned char>(c));
  auto standard = [&](std::size_t k) {  // break before chars[begin + k]
    if (k < min_left || len - k < min_right) return;
    WordBreak b;
    b.offset = offset_of(begin + k);
    b.replace_begin = b.replace_end = b.offset;
    b.compound = compounds && compounds->join_at(lowered, k);
    out.push_back(b);
  };

  if (auto e = exceptions.find(latin1_to_utf8(latin1)); e != exceptions.end()) {
    for (std::size_t k : e->second) standard(k);
    return;
  }
  if (!dict) return;

  const int n = static_cast<int>(len);
  std::vector<char> hyphens(len + 5, '0');
  HyphenOutput res;
  res.n = n;
  hnj_hyphen_hyphenate2(dict, latin1.data(), n, hyphens.data(), nullptr, &res.rep, &res.pos, &res.cut);
  for (int i = 0; i + 1 < n; ++i) {  // hyphens[i] odd: a break after character i
    if (!(hyphens[static_cast<std::size_t>(i)] & 1)) continue;
    const std::size_t k = static_cast<std::size_t>(i) + 1;
    if (!res.rep || !res.rep[i]) {
      standard(k);
      continue;
    }
    // Non-standard: characters [i + 1 − pos, i + 1 − pos + cut) become
    // rep, whose '=' marks the break (hnj_hyphen_hyphword applies them so).
    const std::string_view rep(res.rep[i]);
    const std::size_t eq = rep.find('=');
    const int from = i + 1 - res.pos[i];
    const int to = from + res.cut[i];
    if (eq == std::string_view::npos || from < 0 || to > n || from > i + 1 || to < i + 1) continue;
    const std::string pre = latin1_to_utf8(rep.substr(0, eq));
    const std::string post = latin1_to_utf8(rep.substr(eq + 1));
    const std::size_t left = static_cast<std::size_t>(from) + text::length(pre);
    const std::size_t right = text::length(post) + static_cast<std::size_t>(n - to);
    if (left < min_left || right < min_right) continue;
    if (from == 0 && lower(chars[begin].cp) != chars[begin].cp) continue;  // would lose the capital
    WordBreak b;
    b.offset = offset_of(begin + k);
    b.replace_begin = offset_of(begin + static_cast<std::size_t>(from));
    b.replace_end = offset_of(begin + static_cast<std::size_t>(to));
    b.pre = pre;
    b.post = post;
    out.push_back(b);
  }
}

std::vector<WordBreak> Hyphenator::breaks(std::string_view word, int min_left, int min_right) const {
  std::vector<WordBreak> out = breaks_after_hyphens(word);
  const bool excluded = std::any_of(word.begin(), word.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '@' || c == '/' || c == '.' || c == ':';
  });
  if (!excluded) {
    const std::vector<Char> chars = decode(word);
    const auto ml = static_cast<std::size_t>(std::max(min_left, 1));
    const auto mr = static_cast<std::size_t>(std::max(min_right, 1));
    std::size_t begin = 0;
    for (std::size_t k = 0; k <= chars.size(); ++k) {
      if (k == chars.size() || is_hyphen(chars[k].cp)) {
        impl_->part_breaks(word, chars, begin, k, ml, mr, out);
        begin = k + 1;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const WordBreak& a, const WordBreak& b) { return a.offset < b.offset; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const WordBreak& a, const WordBreak& b) { return a.offset == b.offset; }),
            out.end());
  return out;
}

std::vector<std::size_t> Hyphenator::points(std::string_view word, int min_left, int min_right) const {
  std::vector<std::size_t> out;
  for (const WordBreak& b : breaks(word, min_left, min_right))
    if (b.hyphen && b.standard()) out.push_back(b.offset);
  return out;
}

}  // namespace cp::layout
