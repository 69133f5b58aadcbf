// Swedish hyphenation with libhyphen and hyph_sv_SE.dic (Liang patterns).
//
// The dictionary is Latin-1 and matches lower-case letters only: a word is
// lower-cased per character, encoded as Latin-1, hyphenated, and the points
// mapped back to byte offsets in the UTF-8 word.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cp::layout {

// A place where a word may be broken across lines.
struct WordBreak {
  std::size_t offset = 0;  // byte offset in the UTF-8 word: the line ends before it
  bool hyphen = true;      // a hyphen is added at the line end; false after an existing hyphen
  // Non-standard hyphenation (libhyphen's rep/pos/cut; tillåta → till-låta):
  // when broken here, bytes [replace_begin, replace_end) of the word are
  // replaced by `pre` at the end of the line (before the hyphen) and `post`
  // at the start of the next. For a standard point both are empty and
  // replace_begin == replace_end == offset.
  std::size_t replace_begin = 0, replace_end = 0;
  std::string pre, post;
  // A join between the parts of a compound ("människohandels|utredningen"),
  // as the compound dictionary tells (Hyphenator::set_compounds); false for
  // a break inside a part and when there is no dictionary.
  bool compound = false;

  bool standard() const { return replace_begin == replace_end && pre.empty() && post.empty(); }
  bool operator==(const WordBreak&) const = default;
};

// Breaks after the existing hyphens of a compound ("SPoM-utbildning" →
// "SPoM-" / "utbildning"), no hyphen added: at least two characters on each
// side, a letter or digit after the hyphen, and none in words that look
// like URLs or e-mail addresses (containing '@', '/' or ':').
std::vector<WordBreak> breaks_after_hyphens(std::string_view word);

class Hyphenator {
 public:
  // Loads a libhyphen dictionary (Latin-1 patterns). Returns nullptr when
  // the file cannot be read.
  static std::unique_ptr<Hyphenator> load(const std::string& dic_path);
  // The system Swedish dictionary (/usr/share/hyphen/hyph_sv_SE.dic) with
  // the built-in exceptions for domain words the patterns get wrong
  // (sexköp-slagen, tvång-säktenskap, stö-dinsatser), and hunspell-sv's
  // dictionary for compound joins (/usr/share/hunspell/sv_SE.aff, .dic).
  // nullptr if either is missing.
  static std::unique_ptr<Hyphenator> swedish();
  ~Hyphenator();
  Hyphenator(const Hyphenator&) = delete;
  Hyphenator& operator=(const Hyphenator&) = delete;

  // Byte offsets into the UTF-8 `word` where a hyphen may be inserted
  // (standard points from the patterns or the exceptions; no non-standard
  // ones, no breaks after existing hyphens). `min_left`/`min_right` count
  // characters from the ends of each hyphen-separated part.
  //
  // Gets no points: a word containing a digit, '@', '/', '.' or ':'; a part
  // with a character outside Latin-1 or anything but letters; a part with an
  // upper-case letter after its first character (acronyms, SPoM, iPhone).
  // A leading capital is fine (sentence starts). Names are not detected
  // here: callers turn hyphenation off for them (TextStyle::hyphenate).
  // Thread-safe (libhyphen only reads the loaded dictionary).
  std::vector<std::size_t> points(std::string_view word, int min_left = 2, int min_right = 3) const;

  // Every break of `word`, sorted by offset: the standard points above,
  // libhyphen's non-standard ones, and breaks_after_hyphens(word).
  // Thread-safe.
  std::vector<WordBreak> breaks(std::string_view word, int min_left = 2, int min_right = 3) const;

  // A Hunspell dictionary whose compounding rules tell where the parts of
  // a compound join: breaks() marks a standard point there `compound` when
  // both sides are words (or the left one a word with a linking letter, -s,
  // -e, -o, -u, -a: människo|handel from människa): at least 4 characters
  // on the left and 5 on the right, so short words (kom|munen) are not
  // taken for parts. Loaded on first use; false when the files cannot be
  // read (nothing is marked then).
  bool set_compounds(const std::string& aff_path, const std::string& dic_path);
  bool has_compounds() const;
  // The places (character counts from the start) where `part`, one word of
  // letters, joins compound parts, as breaks() marks them. Thread-safe;
  // answers are remembered.
  std::vector<std::size_t> compound_joins(std::string_view part) const;

  // TeX's \hyphenation: "sex-köps-la-gen" makes exactly those points the
  // ones of "sexköpslagen" (matched lower-cased, whole part only). Call
  // before sharing the hyphenator between threads.
  void add_exception(std::string_view hyphenated_word);

 private:
  Hyphenator();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::layout
