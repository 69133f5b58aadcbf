// The libharu renderer. Control flow of render_pdf:
//
//   1. prepare: decode every glyph run, drop (with a warning) characters its
//      face cannot set, and collect the characters each face uses;
//   2. open a libharu document (UTF-8 encodings, compression, metadata);
//   3. per used face: cut a HarfBuzz subset and load it into libharu;
//   4. create every page first (internal links need their targets), then
//      write each page's items in order as content-stream operators
//      (content_stream.h: a line's runs share one TJ array);
//   5. outline, then save to memory.
//
// libharu reports errors through a C callback. The callback only records the
// first error; every call is followed by a check, and on the first failure
// the document is abandoned with a message. Nothing throws through libharu.
#include "render/pdf.h"

#include <hpdf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "core/files.h"
#include "core/text.h"
#include "render/content_stream.h"
#include "render/image_file.h"

#ifndef COURSEPACK_VERSION
#define COURSEPACK_VERSION "0"
#endif

namespace cp::render {

namespace {

struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// Called by libharu from C frames: records, never throws.
void on_haru_error(HPDF_STATUS code, HPDF_STATUS detail, void* user_data) noexcept {
  auto* e = static_cast<HaruError*>(user_data);
  if (e && e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

const char* haru_error_name(HPDF_STATUS code) {
  switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_OPEN_ERROR: return "cannot open file";
    case HPDF_FONT_EXISTS: return "a font of that name is already loaded";
    case HPDF_INVALID_DATE_TIME: return "invalid date";
    case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
    case HPDF_INVALID_IMAGE: return "invalid image";
    case HPDF_INVALID_JPEG_DATA: return "invalid JPEG data";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_INVALID_PNG_IMAGE: return "invalid PNG image";
    case HPDF_LIBPNG_ERROR: return "libpng error";
    case HPDF_PAGE_INVALID_FONT_SIZE: return "invalid font size";
    case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
    case HPDF_PAGE_OUT_OF_RANGE: return "page out of range";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence does not allow embedding";
    case HPDF_TTF_INVALID_CMAP: return "font has no usable cmap";
    case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType font";
    case HPDF_TTF_MISSING_TABLE: return "TrueType font lacks a required table";
    case HPDF_UNSUPPORTED_JPEG_FORMAT: return "unsupported JPEG format";
    default: return "error";
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

std::string hex_cp(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// PDF URIs are 7-bit ASCII: percent-encode everything else.
std::string ascii_uri(const std::string& uri) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : uri) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

bool finite(std::initializer_list<double> values) {
  for (double v : values)
    if (!std::isfinite(v)) return false;
  return true;
}

HPDF_REAL real(double v) { return static_cast<HPDF_REAL>(v); }

Rgb rgb(const model::Color& c) { return {c.r, c.g, c.b}; }

// A glyph run as the content stream gets it: the characters its face can
// set, as CIDs (the UTF-16 code, as libharu's UTF-8 encoder gives them),
// and their width in 1/1000 of the size.
struct PreparedRun {
  std::u16string codes;
  long long advance = 0;
};

class Renderer {
 public:
  Renderer(const layout::Document& doc, const PdfOptions& options, PdfResult& result, bool narrow_fonts)
      : doc_(doc), options_(options), result_(result), narrow_fonts_(narrow_fonts) {}

  bool narrowing_failed() const { return narrowing_failed_; }

  bool run() {
    if (!prepare()) return false;
    pdf_.reset(HPDF_New(on_haru_error, &error_));
    if (!pdf_) return fail("cannot create a PDF document (out of memory)");
    if (!setup_document()) return false;
    if (!load_fonts()) return false;
    if (!create_pages()) return false;
    for (std::size_t p = 0; p < doc_.pages.size(); ++p)
      if (!draw_page(p)) return false;
    if (!build_outline()) return false;
    return save();
  }

 private:
  // ---- errors ---------------------------------------------------------------

  bool fail(std::string message) {
    result_.ok = false;
    result_.error = std::move(message);
    return false;
  }

  // After each libharu call: false (and the result's error set) if libharu
  // reported an error. `what` says what was being done, for the message.
  bool check(const std::string& what) {
    if (error_.code == HPDF_OK) return true;
    char code[32];
    std::snprintf(code, sizeof code, "0x%04X/%u", static_cast<unsigned>(error_.code),
                  static_cast<unsigned>(error_.detail));
    return fail("libharu: " + std::string(haru_error_name(error_.code)) + " (" + code + ") while " + what);
  }

  void reset_error() {
    HPDF_ResetError(pdf_.get());
    error_ = {};
  }

  // ---- 1. prepare -----------------------------------------------------------

  bool prepare() {
    if (doc_.pages.empty()) return fail("the document has no pages");
    bool any_text = false;
    runs_.resize(doc_.pages.size());
    for (std::size_t p = 0; p < doc_.pages.size(); ++p) {
      const layout::Page& page = doc_.pages[p];
      runs_[p].resize(page.items.size());
      for (std::size_t i = 0; i < page.items.size(); ++i) {
        const auto* run = std::get_if<layout::GlyphRun>(&page.items[i]);
        if (!run) continue;
        any_text = true;
        if (!prepare_run(*run, p, runs_[p][i])) return false;
      }
    }
    if (any_text && !doc_.fonts) return fail("the document has text but no fonts");
    return true;
  }

  bool prepare_run(const layout::GlyphRun& run, std::size_t page, PreparedRun& out) {
    const std::string where = "page " + std::to_string(page + 1);
    if (!doc_.fonts || run.font < 0 || static_cast<std::size_t>(run.font) >= doc_.fonts->size())
      return fail("text on " + where + " refers to font #" + std::to_string(run.font) + ", which is not loaded");
    if (!text::is_valid_utf8(run.text)) return fail("text on " + where + " is not valid UTF-8");
    if (!finite({run.x, run.y, run.size}) || run.size <= 0)
      return fail("text on " + where + " has an invalid position or size");
    const fonts::Face& face = doc_.fonts->face(run.font);
    auto& used = chars_[run.font];
    std::size_t i = 0;
    while (i < run.text.size()) {
      const std::size_t start = i;
      const char32_t cp = text::next_code_point(run.text, i);
      if (face.covers(cp) && cp <= 0xFFFF) {  // fonts::Face covers no more than the BMP anyway
        out.codes += static_cast<char16_t>(cp);
        out.advance += face.advance(cp);
        used.insert(cp);
      } else if (warned_.insert({run.font, cp}).second) {
        result_.warnings.push_back("character " + hex_cp(cp) + " '" + run.text.substr(start, i - start) +
                                   "' is not in font " + face.postscript_name() + "; left out (first on " + where +
                                   ")");
      }
    }
    return true;
  }

  // ---- 2. document ----------------------------------------------------------

  bool setup_document() {
    HPDF_Doc pdf = pdf_.get();
    HPDF_SetCompressionMode(pdf, options_.compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(pdf);
    // Info strings go through the current encoder: UTF-8 makes libharu write
    // them as UTF-16BE with a byte-order mark, so non-ASCII survives.
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    if (!check("setting up the document")) return false;
    utf8_ = HPDF_GetEncoder(pdf, "UTF-8");
    if (!check("getting the UTF-8 encoder")) return false;

    const layout::Metadata& m = doc_.meta;
    const std::pair<HPDF_InfoType, const std::string*> infos[] = {
        {HPDF_INFO_TITLE, &m.title},
        {HPDF_INFO_AUTHOR, &m.author},
        {HPDF_INFO_SUBJECT, &m.subject},
        {HPDF_INFO_KEYWORDS, &m.keywords},
        {HPDF_INFO_CREATOR, &m.creator},
    };
    for (const auto& [type, value] : infos) {
      if (value->empty()) continue;
      if (!text::is_valid_utf8(*value)) return fail("document metadata is not valid UTF-8");
      HPDF_SetInfoAttr(pdf, type, value->c_str());
      if (!check("setting document metadata")) return false;
    }
    const std::string producer = "coursepack " COURSEPACK_VERSION " (libharu " HPDF_VERSION_TEXT ")";
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, producer.c_str());
    if (!check("setting the producer")) return false;

    if (options_.creation_time) {
      const auto t = static_cast<std::time_t>(*options_.creation_time);
      std::tm tm{};
      if (!gmtime_r(&t, &tm)) return fail("invalid creation time");
      HPDF_Date d{};
      d.year = tm.tm_year + 1900;
      d.month = tm.tm_mon + 1;
      d.day = tm.tm_mday;
      d.hour = tm.tm_hour;
      d.minutes = tm.tm_min;
      d.seconds = tm.tm_sec;
      d.ind = 'Z';
      HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
      HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
      if (!check("setting the document dates")) return false;
    }

    if (!m.language.empty()) {
      // libharu 2.3.0 has no API for the catalog's /Lang; its public
      // headers expose the catalog dictionary, so add the entry there.
      // /Lang is a PDF 1.4 key; libharu would otherwise say 1.3.
      if (pdf->pdf_version < HPDF_VER_14) pdf->pdf_version = HPDF_VER_14;
      for (char c : m.language)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
          return fail("invalid document language '" + m.language + "'");
      HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, m.language.c_str(), nullptr));
      if (!check("setting the document language")) return false;
    }
    if (!doc_.outline.empty()) {
      HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
      if (!check("setting the page mode")) return false;
    }
    return true;
  }

  // ---- 3. fonts -------------------------------------------------------------

  bool load_fonts() {
    if (doc_.fonts) fonts_.assign(doc_.fonts->size(), nullptr);
    for (const auto& [id, chars] : chars_) {
      if (chars.empty()) continue;
      const fonts::Face& face = doc_.fonts->face(id);
      const std::string subset = face.subset(chars);
      if (subset.empty()) return fail("cannot subset font '" + face.path() + "' (HarfBuzz failed)");
      const char* name = load_ttf(subset, face);
      if (!name) return false;
      const bool narrow = narrow_fonts_ && can_narrow(chars);
      HPDF_Font font = narrow ? get_font_narrowed(name, chars) : HPDF_GetFont(pdf_.get(), name, "UTF-8");
      if (!check("preparing font '" + face.path() + "'")) return false;
      if (!font) return fail("libharu could not prepare font '" + face.path() + "'");
      if (narrow && !narrowed_map_holds(font, chars)) {
        narrowing_failed_ = true;
        return fail("libharu did not build the narrowed glyph map for font '" + face.path() + "'");
      }
      if (!rewrite_to_unicode(font, chars)) return false;
      if (!mark_glyphs_used(font, chars)) return false;
      fonts_[static_cast<std::size_t>(id)] = font;
    }
    return true;
  }

  // The content stream is written without libharu's text functions, which
  // are what mark a glyph as used; a glyph never marked is left empty when
  // libharu saves the font. Measuring every character the face sets once
  // marks them all.
  bool mark_glyphs_used(HPDF_Font font, const std::set<char32_t>& chars) {
    std::string all;
    for (char32_t cp : chars) text::append_utf8(all, cp);
    HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(all.data()), static_cast<HPDF_UINT>(all.size()));
    return check("measuring the glyphs of a font");
  }

  // libharu builds a Type0 font's CIDToGIDMap and widths (W) when the font
  // is first asked for. Through the UTF-8 encoder it looks up all 65,536 BMP
  // code points in the font and writes a 128 KB map, compressed, for every
  // font of every document: most of the cost of a short document. Through a
  // plain CMap encoder it looks up only the codes the encoder's cid_map
  // lists. So while the font is made, the document's UTF-8 encoder lists
  // exactly the characters this font sets (CID = code point, as the UTF-8
  // encoder writes them) and is restored afterwards. libharu stops one
  // short of the highest CID, so one more CID past the highest is listed;
  // the glyph map then ends right after the highest character used.
  // A font whose characters do not fit the encoder's rows 1..255 as CIDs
  // (can_narrow) gets libharu's full map.
  static constexpr std::size_t kRows = 255;  // row 0 holds the UTF-8 decoder's state
  static bool can_narrow(const std::set<char32_t>& chars) {
    return !chars.empty() && *chars.begin() > 0 && *chars.rbegin() < 0xFFFF && chars.size() < kRows * 256;
  }

  HPDF_Font get_font_narrowed(const char* name, const std::set<char32_t>& chars) {
    auto* attr = static_cast<HPDF_CMapEncoderAttr>(utf8_->attr);
    struct Slot {
      std::size_t row, col;
      HPDF_UINT16 cid;
      HPDF_UNICODE unicode;
    };
    std::vector<Slot> saved;
    saved.reserve(chars.size() + 1);
    auto list = [&](char32_t cp) {
      const std::size_t k = saved.size();
      const std::size_t row = 1 + k / 256, col = k % 256;
      saved.push_back({row, col, attr->cid_map[row][col], attr->unicode_map[row][col]});
      attr->cid_map[row][col] = static_cast<HPDF_UINT16>(cp);
      attr->unicode_map[row][col] = static_cast<HPDF_UNICODE>(cp);
    };
    for (char32_t cp : chars) list(cp);
    list(*chars.rbegin() + 1);
    // Row 0 is where the UTF-8 decoder keeps its state between calls
    // (text measured for an earlier font leaves bytes there): empty while
    // libharu reads the rows as CIDs.
    std::array<HPDF_UINT16, 256> decoder_state;
    std::copy(std::begin(attr->cid_map[0]), std::end(attr->cid_map[0]), decoder_state.begin());
    std::fill(std::begin(attr->cid_map[0]), std::end(attr->cid_map[0]), HPDF_UINT16{0});
    const auto to_unicode = utf8_->to_unicode_fn;
    utf8_->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    HPDF_Font font = HPDF_GetFont(pdf_.get(), name, "UTF-8");
    utf8_->to_unicode_fn = to_unicode;
    std::copy(decoder_state.begin(), decoder_state.end(), std::begin(attr->cid_map[0]));
    for (const Slot& slot : saved) {
      attr->cid_map[slot.row][slot.col] = slot.cid;
      attr->unicode_map[slot.row][slot.col] = slot.unicode;
    }
    return font;
  }

  // Whether the font's glyph map is the narrowed one and maps every
  // character used to a glyph: a libharu that builds fonts differently
  // is caught here, and the document is then rendered with full maps.
  static bool narrowed_map_holds(HPDF_Font font, const std::set<char32_t>& chars) {
    const auto* attr = static_cast<HPDF_FontAttr>(font->attr);
    if (!attr || !attr->map_stream || !attr->map_stream->stream) return false;
    HPDF_Stream stream = attr->map_stream->stream;
    const std::size_t expected = 2 * (static_cast<std::size_t>(*chars.rbegin()) + 1);
    if (HPDF_Stream_Size(stream) != expected) return false;
    std::vector<HPDF_BYTE> map(expected);
    HPDF_UINT size = static_cast<HPDF_UINT>(expected);
    const bool read = HPDF_Stream_Seek(stream, 0, HPDF_SEEK_SET) == HPDF_OK &&
                      HPDF_Stream_Read(stream, map.data(), &size) == HPDF_OK && size == expected;
    if (HPDF_Stream_Seek(stream, 0, HPDF_SEEK_SET) != HPDF_OK || !read) return false;
    for (char32_t cp : chars)
      if (map[2 * cp] == 0 && map[2 * cp + 1] == 0) return false;
    return true;
  }

  // The font's ToUnicode CMap, which text extraction, copying and screen
  // readers use. libharu 2.3.0 (Debian's UTF-8 patch) writes one with a
  // `begincidrange` mapping, which is not valid in a ToUnicode CMap (poppler
  // warns, other readers may ignore it). The codes it puts in the content
  // stream are the characters' own UTF-16 values (Identity-H), so the
  // correct map is the identity over the characters used: rewrite the
  // stream's content with `bfchar` entries.
  bool rewrite_to_unicode(HPDF_Font font, const std::set<char32_t>& chars) {
    auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT));
    if (error_.code != HPDF_OK) reset_error();  // present but not a stream: leave it
    if (!cmap || !cmap->stream) return true;    // a libharu without the map: nothing to fix
    std::string body =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    std::vector<char32_t> list(chars.begin(), chars.end());
    for (std::size_t i = 0; i < list.size(); i += 100) {
      const std::size_t n = std::min<std::size_t>(100, list.size() - i);
      body += std::to_string(n) + " beginbfchar\n";
      for (std::size_t k = i; k < i + n; ++k) {
        char line[24];
        std::snprintf(line, sizeof line, "<%04X> <%04X>\n", static_cast<unsigned>(list[k]),
                      static_cast<unsigned>(list[k]));
        body += line;
      }
      body += "endbfchar\n";
    }
    body += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Stream_WriteStr(cmap->stream, body.c_str());
    HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS");
    HPDF_Dict info = HPDF_Dict_New(cmap->mmgr);
    if (info) {
      HPDF_Dict_Add(info, "Registry", HPDF_String_New(cmap->mmgr, "Adobe", nullptr));
      HPDF_Dict_Add(info, "Ordering", HPDF_String_New(cmap->mmgr, "UCS", nullptr));
      HPDF_Dict_AddNumber(info, "Supplement", 0);
      HPDF_Dict_Add(cmap, "CIDSystemInfo", info);
    }
    return check("writing the font's ToUnicode map");
  }

  // libharu 2.3.0 loads TrueType only from a named file, and reads it again
  // when saving (the embedded data is copied at save time), keeping the file
  // open until HPDF_Free. So the subset goes into an anonymous memory file
  // (memfd) that libharu opens through /proc/self/fd; where that is not
  // available, into a private temporary file unlinked right after loading
  // (libharu's open handle keeps the data readable).
  const char* load_ttf(const std::string& bytes, const fonts::Face& face) {
    const std::string what = "loading font '" + face.path() + "'";
    int fd = memfd_create("coursepack-font", MFD_CLOEXEC);
    if (fd >= 0) {
      if (write_all(fd, bytes)) {
        const std::string path = "/proc/self/fd/" + std::to_string(fd);
        const char* name = HPDF_LoadTTFontFromFile(pdf_.get(), path.c_str(), HPDF_TRUE);
        ::close(fd);
        if (name && error_.code == HPDF_OK) return name;
        if (error_.code == HPDF_OK) {
          fail("libharu could not load font '" + face.path() + "'");
          return nullptr;
        }
        if (error_.code != HPDF_FILE_OPEN_ERROR) {
          check(what);
          return nullptr;
        }
        reset_error();  // /proc not mounted: fall back to a temporary file
      } else {
        ::close(fd);
      }
    }
    std::error_code ec;
    std::string tmpl = (std::filesystem::temp_directory_path(ec) / "coursepack-font-XXXXXX").string();
    if (ec) tmpl = "/tmp/coursepack-font-XXXXXX";
    fd = mkstemp(tmpl.data());
    if (fd < 0) {
      fail("cannot create a temporary file for font '" + face.path() + "': " + std::strerror(errno));
      return nullptr;
    }
    const bool written = write_all(fd, bytes);
    const char* name = written ? HPDF_LoadTTFontFromFile(pdf_.get(), tmpl.c_str(), HPDF_TRUE) : nullptr;
    ::unlink(tmpl.c_str());
    ::close(fd);
    if (!written) {
      fail("cannot write a temporary file for font '" + face.path() + "'");
      return nullptr;
    }
    if (!check(what)) return nullptr;
    if (!name) {
      fail("libharu could not load font '" + face.path() + "'");
      return nullptr;
    }
    return name;
  }

  static bool write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // ---- 4. pages -------------------------------------------------------------

  bool create_pages() {
    for (std::size_t p = 0; p < doc_.pages.size(); ++p) {
      const layout::Page& page = doc_.pages[p];
      if (!finite({page.width, page.height}) || page.width < 3 || page.height < 3 || page.width > 14400 ||
          page.height > 14400)
        return fail("page " + std::to_string(p + 1) + " has an invalid size");
      HPDF_Page hp = HPDF_AddPage(pdf_.get());
      if (!check("adding page " + std::to_string(p + 1))) return false;
      HPDF_Page_SetWidth(hp, real(page.width));
      HPDF_Page_SetHeight(hp, real(page.height));
      if (!check("sizing page " + std::to_string(p + 1))) return false;
      pages_.push_back(hp);
    }
    return true;
  }

  bool draw_page(std::size_t p) {
    page_ = pages_[p];
    content_.reset();
    font_names_.clear();
    where_ = "page " + std::to_string(p + 1);
    const layout::Page& page = doc_.pages[p];
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      const layout::Item& item = page.items[i];
      bool ok = true;
      if (const auto* run = std::get_if<layout::GlyphRun>(&item))
        ok = draw_run(*run, runs_[p][i]);
      else if (const auto* line = std::get_if<layout::Line>(&item))
        ok = draw_line(*line);
      else if (const auto* rect = std::get_if<layout::Rect>(&item))
        ok = draw_rect(*rect);
      else if (const auto* image = std::get_if<layout::Image>(&item))
        ok = draw_image(*image);
      else if (const auto* link = std::get_if<layout::Link>(&item))
        ok = add_link(*link);
      if (!ok) return false;
    }
    content_.end_text();
    return flush_content();
  }

  // Appends what the content stream holds to the page's stream in libharu
  // (which compresses it when saving) and empties it; the stream's state
  // (colours, font) stays, as the page's does.
  bool flush_content() {
    const std::string& bytes = content_.bytes();
    if (bytes.empty()) return true;
    auto* attr = static_cast<HPDF_PageAttr>(page_->attr);
    if (!attr || !attr->stream) return fail("libharu: " + where_ + " has no content stream");
    HPDF_Stream_Write(attr->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                      static_cast<HPDF_UINT>(bytes.size()));
    content_.clear_bytes();
    return check("writing the content of " + where_);
  }

  // The page's resource name for a font ("F1"), registering the font with
  // the page the first time.
  const std::string* font_name(fonts::FontId id) {
    auto [it, added] = font_names_.try_emplace(id);
    if (added) {
      const char* name = HPDF_Page_GetLocalFontName(page_, fonts_[static_cast<std::size_t>(id)]);
      if (!check("adding a font to " + where_)) return nullptr;
      if (!name) {
        fail("libharu could not add a font to " + where_);
        return nullptr;
      }
      it->second = name;
    }
    return &it->second;
  }

  bool draw_run(const layout::GlyphRun& run, const PreparedRun& prepared) {
    if (prepared.codes.empty()) return true;
    const std::string* name = font_name(run.font);
    if (!name) return false;
    content_.show_text(*name, run.size, rgb(run.color), run.x, run.y, prepared.codes, prepared.advance);
    return true;
  }

  bool draw_line(const layout::Line& l) {
    if (!finite({l.x1, l.y1, l.x2, l.y2, l.width}) || l.width < 0)
      return fail("a line on " + where_ + " has an invalid position or width");
    content_.set_stroke(rgb(l.color));
    content_.set_line_width(l.width);
    content_.set_dash(l.dashed);
    content_.line(l.x1, l.y1, l.x2, l.y2);
    return true;
  }

  bool draw_rect(const layout::Rect& r) {
    if (!r.fill && !r.stroke) return true;
    if (!finite({r.x, r.y, r.width, r.height, r.stroke_width}) || r.stroke_width < 0)
      return fail("a rectangle on " + where_ + " has an invalid position or size");
    if (r.fill) content_.set_fill(rgb(r.fill_color));
    if (r.stroke) {
      content_.set_stroke(rgb(r.stroke_color));
      content_.set_line_width(r.stroke_width);
      content_.set_dash(false);
    }
    content_.rect(r.x, r.y, r.width, r.height, r.fill && r.stroke ? 'B' : r.fill ? 'f' : 'S');
    return true;
  }

  bool draw_image(const layout::Image& im) {
    if (!finite({im.x, im.y, im.width, im.height}))
      return fail("an image on " + where_ + " has an invalid position or size");
    HPDF_Image image = nullptr;
    if (const auto it = images_.find(im.path); it != images_.end()) {
      image = it->second;
    } else {
      const files::ReadResult file = files::read_file(im.path);
      if (file.status != files::ReadStatus::Ok) return fail("cannot use image '" + im.path + "': " + file.message);
      const ImageCheck info = check_image(file.bytes);
      if (!info.ok) return fail("cannot use image '" + im.path + "': " + info.error);
      const auto* data = reinterpret_cast<const HPDF_BYTE*>(file.bytes.data());
      const auto size = static_cast<HPDF_UINT>(file.bytes.size());
      image = info.format == ImageFormat::Png ? HPDF_LoadPngImageFromMem(pdf_.get(), data, size)
                                              : HPDF_LoadJpegImageFromMem(pdf_.get(), data, size);
      if (!check("loading image '" + im.path + "'")) return false;
      if (!image) return fail("cannot use image '" + im.path + "': libharu could not read it");
      images_.emplace(im.path, image);
    }
    // libharu writes the image's operators (inside q..Q) to the page's
    // stream itself, so what the content stream holds goes first.
    content_.end_text();
    if (!flush_content()) return false;
    HPDF_Page_DrawImage(page_, image, real(im.x), real(im.y), real(im.width), real(im.height));
    return check("drawing image '" + im.path + "' on " + where_);
  }

  // An /XYZ destination that keeps the reader's zoom. libharu refuses zoom 0
  // (which the PDF specification defines as "unchanged"), so the
  // destination is made with zoom 1 and the zoom entry then set to 0.
  HPDF_Destination destination(std::size_t page, double y) {
    HPDF_Destination dst = HPDF_Page_CreateDestination(pages_[page]);
    if (!dst) return nullptr;
    HPDF_Destination_SetXYZ(dst, 0, real(std::max(0.0, y)), 1);
    if (error_.code != HPDF_OK) return nullptr;
    if (auto zoom = static_cast<HPDF_Real>(HPDF_Array_GetItem(dst, 4, HPDF_OCLASS_REAL))) HPDF_Real_SetValue(zoom, 0);
    return dst;
  }

  bool add_link(const layout::Link& l) {
    if (!finite({l.x, l.y, l.width, l.height, l.dest_y}))
      return fail("a link on " + where_ + " has an invalid position or size");
    HPDF_Rect rect{real(l.x), real(l.y), real(l.x + l.width), real(l.y + l.height)};
    HPDF_Annotation annot = nullptr;
    if (!l.uri.empty()) {
      annot = HPDF_Page_CreateURILinkAnnot(page_, rect, ascii_uri(l.uri).c_str());
    } else {
      if (l.dest_page < 0 || static_cast<std::size_t>(l.dest_page) >= pages_.size())
        return fail("a link on " + where_ + " points to page " + std::to_string(l.dest_page + 1) +
                    ", which does not exist");
      HPDF_Destination dst = destination(static_cast<std::size_t>(l.dest_page), l.dest_y);
      if (!check("making a link destination on " + where_)) return false;
      annot = HPDF_Page_CreateLinkAnnot(page_, rect, dst);
    }
    if (!check("adding a link on " + where_)) return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
    return check("adding a link on " + where_);
  }

  // ---- 5. outline and saving ------------------------------------------------

  bool build_outline() {
    std::vector<std::pair<int, HPDF_Outline>> open;  // (level, outline), the current branch
    for (const layout::Bookmark& b : doc_.outline) {
      if (b.page < 0 || static_cast<std::size_t>(b.page) >= pages_.size())
        return fail("bookmark '" + b.title + "' points to page " + std::to_string(b.page + 1) +
                    ", which does not exist");
      if (!text::is_valid_utf8(b.title)) return fail("a bookmark title is not valid UTF-8");
      while (!open.empty() && open.back().first >= b.level) open.pop_back();
      HPDF_Outline parent = open.empty() ? nullptr : open.back().second;
      HPDF_Outline outline = HPDF_CreateOutline(pdf_.get(), parent, b.title.c_str(), utf8_);
      if (!check("adding bookmark '" + b.title + "'")) return false;
      HPDF_Destination dst = destination(static_cast<std::size_t>(b.page), b.y);
      if (!check("adding bookmark '" + b.title + "'")) return false;
      HPDF_Outline_SetDestination(outline, dst);
      HPDF_Outline_SetOpened(outline, open.empty() ? HPDF_TRUE : HPDF_FALSE);
      if (!check("adding bookmark '" + b.title + "'")) return false;
      open.emplace_back(b.level, outline);
    }
    return true;
  }

  bool save() {
    HPDF_SaveToStream(pdf_.get());
    if (!check("writing the PDF")) return false;
    const HPDF_UINT32 size = HPDF_GetStreamSize(pdf_.get());
    if (!check("writing the PDF")) return false;
    result_.bytes.resize(size);
    HPDF_ResetStream(pdf_.get());
    HPDF_UINT32 got = size;  // ask for exactly what is there: no EOF error
    if (size > 0) HPDF_ReadFromStream(pdf_.get(), reinterpret_cast<HPDF_BYTE*>(result_.bytes.data()), &got);
    if (!check("reading the PDF back")) return false;
    if (got != size) return fail("libharu returned a short PDF");
    result_.ok = true;
    return true;
  }

  const layout::Document& doc_;
  const PdfOptions& options_;
  PdfResult& result_;
  HaruError error_;
  DocPtr pdf_;
  HPDF_Encoder utf8_ = nullptr;
  bool narrow_fonts_ = true;       // see get_font_narrowed
  bool narrowing_failed_ = false;  // the narrowed map was not as expected

  std::vector<std::vector<PreparedRun>> runs_;        // per page, per item: the text to set
  std::map<fonts::FontId, std::set<char32_t>> chars_;  // per used face
  std::set<std::pair<fonts::FontId, char32_t>> warned_;
  std::vector<HPDF_Font> fonts_;  // by FontId
  std::vector<HPDF_Page> pages_;
  std::map<std::string, HPDF_Image> images_;  // per path

  HPDF_Page page_ = nullptr;
  ContentStream content_;                           // the current page's operators
  std::map<fonts::FontId, std::string> font_names_;  // on the current page
  std::string where_;
};

}  // namespace

PdfResult render_pdf(const layout::Document& doc, const PdfOptions& options) {
  PdfResult result;
  Renderer renderer(doc, options, result, options.narrow_font_maps);
  if (!renderer.run() && renderer.narrowing_failed()) {
    result = PdfResult{};
    Renderer full(doc, options, result, false);
    full.run();
  }
  if (!result.ok) {
    result.ok = false;
    result.bytes.clear();
    if (result.error.empty()) result.error = "cannot render the PDF";
  }
  return result;
}

}  // namespace cp::render
