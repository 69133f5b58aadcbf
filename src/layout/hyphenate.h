// Swedish hyphenation with libhyphen and hyph_sv_SE.dic (Liang patterns).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cp::layout {

class Hyphenator {
 public:
  // Loads a libhyphen dictionary (Latin-1 patterns). Returns nullptr when
  // the file cannot be read.
  static std::unique_ptr<Hyphenator> load(const std::string& dic_path);
  // The system Swedish dictionary (/usr/share/hyphen/hyph_sv_SE.dic).
  static std::unique_ptr<Hyphenator> swedish();
  ~Hyphenator();

  // Byte offsets into the UTF-8 `word` where a hyphen may be inserted.
  // Words that cannot be encoded in Latin-1, that contain digits, '@', '/',
  // or '.', or that start with an upper-case letter followed by lower-case
  // ones when `skip_capitalised` is set (names), get no points.
  // Thread-safe.
  std::vector<std::size_t> points(std::string_view word, int min_left = 2, int min_right = 3) const;

 private:
  Hyphenator() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::layout
