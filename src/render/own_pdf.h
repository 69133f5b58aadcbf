// A reader for exactly the PDFs coursepack writes: one cross-reference
// section, classic or a cross-reference stream (PDF 1.5, with objects in
// compressed object streams), a flat page tree, objects whose streams'
// lengths are known. Only the bytes before a stream's data are tokenised
// (to find references); the data itself is left as it is, to be copied.
// Objects stored in object streams are read as if written plainly: bytes()
// is then the file followed by those objects, each as "N 0 obj … endobj",
// and every offset the reader gives is into bytes(). Anything else is
// refused (read() is false), and the caller falls back to qpdf.
//
// Used to copy pages object by object without decoding or compressing
// anything again: the e-mail certificates (pdf_split.h) and print.pdf
// (impose.h). pack_objects() writes the renderer's files compactly.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cp::render::own {

struct Token {
  std::size_t begin = 0, end = 0;  // in the file
  std::string_view text;
};

struct Reference {
  std::size_t begin, end;  // "N G R" in the file
  long object;
  bool parent;  // the value of a /Parent key
};

struct Object {
  std::size_t body = 0, end = 0;  // after "N G obj", at "endobj"
  std::size_t dict_end = 0;       // where the stream keyword starts, or end
  // A stream's data (as stored: compressed when the file compressed it).
  std::size_t data = 0, data_length = 0;
  bool stream = false;
  std::vector<Reference> refs;
  std::vector<Token> tokens;  // up to the stream keyword
  bool parsed = false;
};

// Where the value of a key of an object's dictionary lies: tokens
// [first, last) and bytes [begin, end) of the file.
struct Span {
  std::size_t first = 0, last = 0;
  std::size_t begin = 0, end = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view pdf) : pdf_(pdf) {}

  // False when the file is not one this reader understands.
  bool read();

  std::string_view bytes() const { return pdf_; }
  // The page objects, in order.
  const std::vector<long>& pages() const { return kids_; }
  // The pages, the page tree and the catalog: what a page's own objects
  // never reach in the renderer's files.
  bool in_tree(long n) const { return tree_.count(n) != 0; }
  long info() const { return info_; }
  long root() const { return root_; }  // the catalog
  std::string_view lang() const { return lang_; }  // the catalog's /Lang token, or empty
  std::string_view version() const;                // "1.4" from the header
  // The cross-reference's /Size: objects are numbered 1 to size() - 1.
  std::size_t size() const { return offsets_.size(); }
  // Whether object n is in use, and where it starts in bytes().
  bool present(long n) const { return n > 0 && static_cast<std::size_t>(n) < offsets_.size() && offsets_[static_cast<std::size_t>(n)] != 0; }
  std::size_t offset(long n) const { return present(n) ? offsets_[static_cast<std::size_t>(n)] : 0; }

  // The object, parsed on first use; nullptr when it is not a plain object
  // this reader understands.
  const Object* object(long n);

  // The value of `key` at the top level of an object's dictionary.
  static std::optional<Span> value_span(const Object& o, std::string_view key);
  static long ref_after(const std::vector<Token>& tokens, std::string_view key);
  // The objects an array value of `key` refers to, in order (empty without
  // the key); nothing when a reference is malformed.
  static std::optional<std::vector<long>> array_refs(const std::vector<Token>& tokens, std::string_view key);
  // A whole token read as an integer.
  static std::optional<long> number(std::string_view text);
  static bool has_key(const std::vector<Token>& tokens, std::string_view key);
  static std::string_view value_after(const std::vector<Token>& tokens, std::string_view key);

 private:
  bool read_xref_table(std::size_t at);
  bool read_xref_stream(std::size_t at);

  std::string_view pdf_;
  // With object streams: the file, then their objects written plainly.
  std::shared_ptr<const std::string> unpacked_;
  std::vector<std::size_t> offsets_;
  std::vector<Object> objects_;
  std::vector<long> kids_;
  std::set<long> tree_;
  long root_ = -1, info_ = -1, pages_root_ = -1;
  std::string_view lang_;
};

// A classic PDF as the renderer writes it (read() true) rewritten with its
// objects that are not streams, other than the catalog and the document
// information, in Flate-compressed object streams and a cross-reference
// stream (PDF 1.5) whose /ID is two kIdPlaceholder halves (archive.h), for
// stamp_file_id. Objects keep their numbers, streams their bytes; the same
// input gives the same bytes. Nothing when the file cannot be read so or
// its header is older than PDF 1.5.
std::optional<std::string> pack_objects(std::string_view pdf);

// Each UTF-16 code unit of `s` (a surrogate pair above U+FFFF), to `put`:
// the units of a PDF text string (<FEFF…>) and of a ToUnicode entry.
template <typename Put>
void utf16_units(std::u32string_view s, Put put) {
  for (char32_t c : s) {
    if (c > 0xFFFF) {
      c -= 0x10000;
      put(0xD800 + (static_cast<unsigned>(c) >> 10));
      put(0xDC00 + (static_cast<unsigned>(c) & 0x3FF));
    } else {
      put(static_cast<unsigned>(c));
    }
  }
}

// zlib (FlateDecode) data: nothing when it is damaged or cut short; and
// data compressed at a zlib level (empty when zlib fails).
std::optional<std::string> inflate_bytes(std::string_view data);
std::string deflate_bytes(std::string_view data, int level);

}  // namespace cp::render::own
