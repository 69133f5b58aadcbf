// The libharu renderer. Control flow of render_pdf:
//
//   1. prepare: decode every glyph run, drop (with a warning) characters its
//      face cannot set, take its shaped glyphs (layout's, or shaped here)
//      and collect the glyphs each face uses with the text they stand for;
//   2. open a libharu document (UTF-8 encodings, compression, metadata);
//   3. per used face: cut a HarfBuzz subset and write its Type0/CIDFontType2
//      objects (Identity-H, CID = the face's glyph id, a CIDToGIDMap to the
//      subset's own glyph ids, ToUnicode);
//   4. create every page first (internal links need their targets), then
//      write each page's items in order as content-stream operators
//      (content_stream.h: glyphs positioned as shaped, a line's runs in one
//      TJ array);
//   5. for a document with a logical structure (a tagged PDF): the
//      structure tree, one StructElem per node, and the parent tree that
//      leads from each page's marked content and each link back to it;
//   6. outline, then save to memory; compressed, the objects that are not
//      streams go into object streams (own::pack_objects).
//
// In a tagged document every drawn item is marked content: the items of one
// structure node that follow each other on a page form one sequence,
// `/Role <</MCID n>> BDC … EMC` (MCIDs count from 0 on each page), and the
// items of no node are artifacts of their kind; sequences never nest.
//
// libharu reports errors through a C callback. The callback only records the
// first error; every call is followed by a check, and on the first failure
// the document is abandoned with a message. Nothing throws through libharu.
#include "render/pdf.h"

#include <hpdf.h>

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
#include <optional>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/files.h"
#include "core/sha256.h"
#include "core/text.h"
#include "render/archive.h"
#include "render/content_stream.h"
#include "render/image_file.h"
#include "render/own_pdf.h"

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

Rgb rgb(const layout::Color& c) { return {c.r, c.g, c.b}; }

// A glyph run as the content stream gets it: its glyphs (CID = glyph id)
// placed as shaped, and the text it stands for when the font's ToUnicode
// map cannot say it (ActualText, UTF-16BE hex with a byte-order mark).
struct PreparedRun {
  std::shared_ptr<const std::vector<fonts::ShapedGlyph>> glyphs;
  std::string actual_text;
  // A space glyph drawn before the run (tagged documents): at (x, y), in
  // the font and size given, the pen then moving by `advance` (1/1000 of
  // the size).
  struct Space {
    double x = 0, y = 0;
    fonts::FontId font = 0;
    double size = 0;
    layout::Color color;
    std::uint16_t gid = 0;
    double advance = 0;
  };
  std::optional<Space> space;
};

// What the PDF font of one face needs: the glyphs used and the text each
// stands for (its ToUnicode entry).
struct UsedFont {
  std::unordered_map<std::uint16_t, std::string> glyphs;  // UTF-8; empty: no entry of its own
};

using own::utf16_units;

std::string utf16_hex(std::u32string_view s) {
  std::string out;
  char buf[8];
  utf16_units(s, [&](unsigned v) {
    std::snprintf(buf, sizeof buf, "%04X", v);
    out += buf;
  });
  return out;
}

class Renderer {
 public:
  Renderer(const layout::Document& doc, const PdfOptions& options, PdfResult& result)
      : doc_(doc), options_(options), result_(result) {}

  bool run() {
    if (!prepare()) return false;
    pdf_.reset(HPDF_New(on_haru_error, &error_));
    if (!pdf_) return fail("cannot create a PDF document (out of memory)");
    if (!setup_document()) return false;
    if (!load_fonts()) return false;
    if (!create_pages()) return false;
    for (std::size_t p = 0; p < doc_.pages.size(); ++p)
      if (!draw_page(p)) return false;
    if (tagged() && !build_structure()) return false;
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

  bool tagged() const { return !doc_.structure.empty(); }

  // A structure a tree as frame.h describes it, every item's node in it.
  bool check_structure() {
    const auto& nodes = doc_.structure;
    if (nodes.empty()) return true;
    if (nodes[0].role != "Document" || nodes[0].parent != -1)
      return fail("the structure's first node is not the Document root");
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      const layout::StructNode& node = nodes[n];
      const std::string which = "structure node " + std::to_string(n);
      if (node.role.empty() || !std::all_of(node.role.begin(), node.role.end(),
                                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
        return fail(which + " has an invalid role '" + node.role + "'");
      if (n > 0 && (node.parent < 0 || static_cast<std::size_t>(node.parent) >= n))
        return fail(which + " (" + node.role + ") has no parent before it");
      for (const std::string* t : {&node.alt, &node.id, &node.title, &node.lang})
        if (!text::is_valid_utf8(*t)) return fail(which + " has text that is not valid UTF-8");
      if (!node.scope.empty() && node.scope != "Column" && node.scope != "Row" && node.scope != "Both")
        return fail(which + " has an invalid scope '" + node.scope + "'");
      for (char c : node.lang)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
          return fail(which + " has an invalid language '" + node.lang + "'");
    }
    kids_.assign(nodes.size(), {});
    placed_nodes_.assign(nodes.size(), 0);
    page_mcids_.assign(doc_.pages.size(), {});
    for (std::size_t p = 0; p < doc_.pages.size(); ++p)
      for (const layout::Item& item : doc_.pages[p].items) {
        const int node = std::visit([](const auto& it) { return it.node; }, item);
        if (node < -1 || node >= static_cast<int>(nodes.size()))
          return fail("an item on page " + std::to_string(p + 1) + " refers to structure node " +
                      std::to_string(node) + ", which does not exist");
        if (node == 0) return fail("an item on page " + std::to_string(p + 1) + " is tagged as the Document itself");
        if (node < 0 && std::holds_alternative<layout::Link>(item))
          return fail("a link on page " + std::to_string(p + 1) + " belongs to no Link element");
      }
    return true;
  }

  bool prepare() {
    if (doc_.pages.empty()) return fail("the document has no pages");
    if (!check_structure()) return false;
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
    if (tagged()) {
      std::unordered_map<int, const layout::GlyphRun*> continued;
      for (std::size_t p = 0; p < doc_.pages.size(); ++p) prepare_spaces(p, continued);
    }
    return true;
  }

  // In a tagged document the spaces between words are text too, so that
  // what is read from the structure tree (assistive technology, pdfinfo
  // -struct-text) says "två ord", not "tvåord". A space glyph goes where a
  // word ends before the next starts on the same line (of one element, or
  // of two close by; the pen then moves on to the next word as before), at
  // the end of an element's line whose text goes on in a line below, and
  // where an element's text goes on at the top of a later page (not after a
  // hyphen or inside a web or e-mail address). `continued` holds each
  // node's last run on the pages before.
  void prepare_spaces(std::size_t p, std::unordered_map<int, const layout::GlyphRun*>& continued) {
    const layout::Page& page = doc_.pages[p];
    const layout::GlyphRun* last = nullptr;
    std::unordered_map<int, const layout::GlyphRun*> last_of;  // per node
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      const auto* run = std::get_if<layout::GlyphRun>(&page.items[i]);
      if (!run || !runs_[p][i].glyphs || runs_[p][i].glyphs->empty()) continue;
      if (run->node < 0) {
        last = nullptr;
        continue;
      }
      const layout::GlyphRun* before = last_of[run->node];
      if (last && std::fabs(run->y - last->y) < 0.01) {
        const double end = last->x + last->width;
        const double gap = run->x - end;
        if (gap > 0.05 * run->size && (gap < 3 * run->size || run->node == last->node))
          add_space(runs_[p][i], *run, end, run->y, gap * 1000 / run->size);
      } else if (before && before->y > run->y + 0.01 && continues_with_space(before->text, run->text)) {
        add_space(runs_[p][i], *before, before->x + before->width, before->y, 0);
      } else if (const auto earlier = continued.find(run->node);
                 !before && earlier != continued.end() && continues_with_space(earlier->second->text, run->text)) {
        // The space that ended the element's line on the page before,
        // set just before this run: the pen arrives where the run starts.
        const layout::GlyphRun& from = *earlier->second;
        const fonts::Face& face = doc_.fonts->face(from.font);
        const double width = face.covers(' ') ? face.glyph_advance(face.glyph(' ')) * from.size / 1000 : 0;
        add_space(runs_[p][i], from, run->x - width, run->y, 0);
      }
      last = run;
      last_of[run->node] = run;
    }
    for (const auto& [node, run] : last_of) continued[node] = run;
  }

  // Whether a line ending in `end` and going on with `next` had a space.
  static bool continues_with_space(std::string_view end, std::string_view next) {
    for (std::string_view s : {"-", "/", "\u2010", "\u00AD"})
      if (end.ends_with(s)) return false;
    for (std::string_view s : {"-", "/", ".", "?", "#", "&", "="})
      if (next.starts_with(s)) return false;
    return end.find("://") == std::string_view::npos && end.find('@') == std::string_view::npos &&
           !end.starts_with("www.");
  }

  // A space before `out`'s run, in `font_of`'s font, size and colour.
  void add_space(PreparedRun& out, const layout::GlyphRun& font_of, double x, double y, double advance) {
    const fonts::Face& face = doc_.fonts->face(font_of.font);
    if (!face.covers(' ')) return;
    const std::uint16_t gid = face.glyph(' ');
    if (gid == 0) return;
    auto [it, added] = used_[font_of.font].glyphs.try_emplace(gid, " ");
    if (!added && it->second.empty()) it->second = " ";
    out.space = PreparedRun::Space{x, y, font_of.font, font_of.size, font_of.color, gid, advance};
  }

  bool prepare_run(const layout::GlyphRun& run, std::size_t page, PreparedRun& out) {
    const std::string where = "page " + std::to_string(page + 1);
    if (!doc_.fonts || run.font < 0 || static_cast<std::size_t>(run.font) >= doc_.fonts->size())
      return fail("text on " + where + " refers to font #" + std::to_string(run.font) + ", which is not loaded");
    if (!text::is_valid_utf8(run.text)) return fail("text on " + where + " is not valid UTF-8");
    if (!finite({run.x, run.y, run.size}) || run.size <= 0)
      return fail("text on " + where + " has an invalid position or size");
    const fonts::Face& face = doc_.fonts->face(run.font);
    // The characters the face can set; the others are left out, with a
    // warning once per face and character.
    std::string kept;
    bool dropped = false;
    std::size_t i = 0;
    while (i < run.text.size()) {
      const std::size_t start = i;
      const char32_t cp = text::next_code_point(run.text, i);
      if (face.covers(cp)) {
        if (dropped) text::append_utf8(kept, cp);
        continue;
      }
      if (!dropped) kept.assign(run.text, 0, start);  // what was covered so far
      dropped = true;
      if (warned_.insert({run.font, cp}).second) {
        result_.warnings.push_back("character " + hex_cp(cp) + " '" + run.text.substr(start, i - start) +
                                   "' is not in font " + face.postscript_name() + "; left out (first on " + where +
                                   ")");
      }
    }
    const std::string_view settable = dropped ? std::string_view(kept) : std::string_view(run.text);
    if (settable.empty()) return true;
    // Layout's shaping when it gave one for this text, else the face's.
    const bool own = !run.glyphs || run.glyphs->empty() || dropped;
    out.glyphs = own ? face.shape(settable) : run.glyphs;
    const std::vector<fonts::ShapedGlyph>* glyphs = out.glyphs.get();
    const std::string_view text = settable;

    // Cluster by cluster (glyphs with the same cluster, in visual order):
    // the text each glyph stands for goes into the font's ToUnicode map
    // where it can; a cluster of several glyphs or a glyph already mapped
    // to other text make the run carry its text as ActualText. Right-to-left
    // glyphs stay in visual order, as readers expect them (pdftotext turns
    // them back into logical order).
    std::vector<std::uint32_t>& starts = starts_;  // reused: no allocation per run
    starts.clear();
    for (const auto& g : *glyphs) starts.push_back(g.cluster);
    if (!std::is_sorted(starts.begin(), starts.end())) std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    auto cluster_text = [&](std::uint32_t c) {
      const auto next = std::upper_bound(starts.begin(), starts.end(), c);
      const std::size_t begin = std::min<std::size_t>(c, text.size());
      const std::size_t end = std::max(begin, next == starts.end() ? text.size() : std::min<std::size_t>(*next, text.size()));
      return text.substr(begin, end - begin);
    };
    UsedFont& used = used_[run.font];
    bool actual = false;
    for (std::size_t k = 0; k < glyphs->size();) {
      std::size_t e = k + 1;
      while (e < glyphs->size() && (*glyphs)[e].cluster == (*glyphs)[k].cluster) ++e;
      const std::string_view str = cluster_text((*glyphs)[k].cluster);
      if (e - k > 1) actual = true;
      for (std::size_t j = k; j < e; ++j) {
        const fonts::ShapedGlyph& g = (*glyphs)[j];
        if (j == k) {
          const auto [it, added] = used.glyphs.try_emplace(g.gid, str);
          if (!added && it->second != str) {
            if (it->second.empty()) {
              it->second = str;  // so far only the second glyph of a cluster
            } else {
              actual = true;
            }
          }
        } else {
          used.glyphs.try_emplace(g.gid);
        }
      }
      k = e;
    }
    if (actual) out.actual_text = "FEFF" + utf16_hex(text::decode_utf8(text));
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
    const DocumentInfo info = document_info(m, options_.creation_time, "libharu " HPDF_VERSION_TEXT);
    const std::pair<HPDF_InfoType, const std::string*> infos[] = {
        {HPDF_INFO_TITLE, &info.title},     {HPDF_INFO_AUTHOR, &info.author},
        {HPDF_INFO_SUBJECT, &info.subject}, {HPDF_INFO_KEYWORDS, &info.keywords},
        {HPDF_INFO_CREATOR, &info.creator}, {HPDF_INFO_PRODUCER, &info.producer},
    };
    for (const auto& [type, value] : infos) {
      if (value->empty()) continue;
      if (!text::is_valid_utf8(*value)) return fail("document metadata is not valid UTF-8");
      HPDF_SetInfoAttr(pdf, type, value->c_str());
      if (!check("setting document metadata")) return false;
    }

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

    // PDF/A-2 is based on PDF 1.7; so is PDF/UA-1.
    pdf->pdf_version = HPDF_VER_17;
    if (!m.language.empty()) {
      // libharu 2.3.0 has no API for the catalog's /Lang; its public
      // headers expose the catalog dictionary, so add the entry there.
      for (char c : m.language)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
          return fail("invalid document language '" + m.language + "'");
      HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, m.language.c_str(), nullptr));
      if (!check("setting the document language")) return false;
    }
    return archival_objects(info);
  }

  // What PDF/A-2 asks of the document beyond its pages (render/archive.h):
  // the XMP packet next to /Info, the sRGB output intent, a viewer that
  // shows the title, and a trailer /ID that save() derives from the bytes.
  bool archival_objects(const DocumentInfo& info) {
    HPDF_Doc pdf = pdf_.get();
    const ColorProfile& profile = srgb_profile();
    if (!profile.error.empty()) return fail(profile.error);

    // A tagged document is PDF/A-2a and PDF/UA-1; the others PDF/A-2b.
    const std::string xmp = xmp_packet(info, tagged() ? Conformance{2, 'A', true} : Conformance{});
    HPDF_Dict metadata = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!check("adding the XMP metadata")) return false;
    HPDF_Dict_AddName(metadata, "Type", "Metadata");
    HPDF_Dict_AddName(metadata, "Subtype", "XML");
    HPDF_Stream_Write(metadata->stream, reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                      static_cast<HPDF_UINT>(xmp.size()));
    HPDF_Dict_Add(pdf->catalog, "Metadata", metadata);
    if (!check("adding the XMP metadata")) return false;

    HPDF_Dict icc = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!check("adding the output intent")) return false;
    if (options_.compress) icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddNumber(icc, "N", 3);
    HPDF_Stream_Write(icc->stream, reinterpret_cast<const HPDF_BYTE*>(profile.bytes.data()),
                      static_cast<HPDF_UINT>(profile.bytes.size()));
    HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
    if (!check("adding the output intent")) return false;
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", nullptr));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", nullptr));
    HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    if (!check("adding the output intent")) return false;
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
    if (!check("adding the output intent")) return false;

    HPDF_Dict prefs = HPDF_Dict_New(pdf->mmgr);
    if (!check("adding the viewer preferences")) return false;
    HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(pdf->mmgr, HPDF_TRUE));
    HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs);
    if (!check("adding the viewer preferences")) return false;

    std::array<HPDF_BYTE, 16> zeros{};
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!check("adding the file identifier")) return false;
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, zeros.data(), static_cast<HPDF_UINT>(zeros.size())));
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, zeros.data(), static_cast<HPDF_UINT>(zeros.size())));
    HPDF_Dict_Add(pdf->trailer, "ID", id);
    if (!check("adding the file identifier")) return false;

    if (!doc_.outline.empty()) {
      HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
      if (!check("setting the page mode")) return false;
    }
    return true;
  }

  // ---- 3. fonts -------------------------------------------------------------
  //
  // Every face a document uses becomes a Type0 font with one CIDFontType2
  // descendant: Identity-H encoding, CID = the face's glyph id (the
  // embedded subset numbers its glyphs anew, 0, 1, 2, ..., so that it holds
  // only the glyphs kept; a CIDToGIDMap stream maps each CID to them), widths
  // (/W) for the glyphs used, and a ToUnicode map saying the text of each
  // glyph. The objects are made with libharu's object API, which writes
  // and compresses them with the rest of the document.

  HPDF_Dict new_dict() {
    HPDF_Dict d = HPDF_Dict_New(pdf_->mmgr);
    if (d) HPDF_Xref_Add(pdf_->xref, d);
    return d;
  }

  HPDF_Dict new_stream(const std::string& bytes) {
    HPDF_Dict d = HPDF_DictStream_New(pdf_->mmgr, pdf_->xref);
    if (!d) return nullptr;
    if (options_.compress) d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream_Write(d->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                      static_cast<HPDF_UINT>(bytes.size()));
    return d;
  }

  // Six capital letters naming the subset (PDF 9.6.4), from its bytes.
  static std::string subset_tag(const std::string& subset) {
    Sha256 h;
    h.update(subset);
    const auto digest = h.digest();
    std::string tag;
    for (int k = 0; k < 6; ++k) tag += static_cast<char>('A' + digest[static_cast<std::size_t>(k)] % 26);
    return tag;
  }

  static std::string to_unicode_cmap(const UsedFont& used) {
    std::string body =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    std::vector<std::pair<std::uint16_t, std::u32string>> list;
    for (const auto& [gid, str] : used.glyphs)
      if (!str.empty()) list.emplace_back(gid, text::decode_utf8(str));
    std::sort(list.begin(), list.end());
    for (std::size_t i = 0; i < list.size(); i += 100) {
      const std::size_t n = std::min<std::size_t>(100, list.size() - i);
      body += std::to_string(n) + " beginbfchar\n";
      for (std::size_t k = i; k < i + n; ++k) {
        char code[8];
        std::snprintf(code, sizeof code, "%04X", static_cast<unsigned>(list[k].first));
        body += "<" + std::string(code) + "> <" + utf16_hex(list[k].second) + ">\n";
      }
      body += "endbfchar\n";
    }
    body += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return body;
  }

  bool load_fonts() {
    if (doc_.fonts) fonts_.assign(doc_.fonts->size(), nullptr);
    for (const auto& [id, used] : used_) {
      if (used.glyphs.empty()) continue;
      const fonts::Face& face = doc_.fonts->face(id);
      std::set<std::uint16_t> gids;
      for (const auto& [gid, str] : used.glyphs) gids.insert(gid);
      std::vector<std::uint16_t> new_ids;
      const std::string subset = face.subset_glyphs(gids, &new_ids);
      if (subset.empty()) return fail("cannot subset font '" + face.path() + "' (HarfBuzz failed)");
      const std::string what = "embedding font '" + face.path() + "'";
      HPDF_MMgr mmgr = pdf_->mmgr;
      const std::string base = subset_tag(subset) + "+" + face.postscript_name();

      // libharu's error if it reported one, else a plain failure.
      const auto broken = [&] { return check(what) && fail("libharu could not embed font '" + face.path() + "'"); };
      HPDF_Dict file = new_stream(subset);
      if (!file) return broken();
      HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset.size()));

      const fonts::Face::Descriptor& d = face.descriptor();
      HPDF_Dict desc = new_dict();
      if (!desc) return broken();
      HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
      HPDF_Dict_AddName(desc, "FontName", base.c_str());
      // Symbolic (4): the glyphs are addressed by id, not by a standard
      // encoding; plus fixed pitch (1), serif (2), italic (64).
      int flags = 4;
      if (d.fixed_pitch) flags |= 1;
      if (d.serif) flags |= 2;
      if (d.italic) flags |= 64;
      HPDF_Dict_AddNumber(desc, "Flags", flags);
      HPDF_Box box{real(d.bbox[0]), real(d.bbox[1]), real(d.bbox[2]), real(d.bbox[3])};
      HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mmgr, box));
      HPDF_Dict_AddReal(desc, "ItalicAngle", real(d.italic_angle));
      HPDF_Dict_AddNumber(desc, "Ascent", face.ascender());
      HPDF_Dict_AddNumber(desc, "Descent", face.descender());
      HPDF_Dict_AddNumber(desc, "CapHeight", face.cap_height());
      // No stem width in TrueType: the usual estimate from the weight.
      HPDF_Dict_AddNumber(desc, "StemV", 10 + 220 * std::max(0, d.weight - 50) / 900);
      HPDF_Dict_Add(desc, "FontFile2", file);

      HPDF_Dict cid = new_dict();
      if (!cid) return broken();
      HPDF_Dict_AddName(cid, "Type", "Font");
      HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
      HPDF_Dict_AddName(cid, "BaseFont", base.c_str());
      HPDF_Dict info = HPDF_Dict_New(mmgr);
      HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", nullptr));
      HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mmgr, "Identity", nullptr));
      HPDF_Dict_AddNumber(info, "Supplement", 0);
      HPDF_Dict_Add(cid, "CIDSystemInfo", info);
      HPDF_Dict_Add(cid, "FontDescriptor", desc);
      // /W as runs of consecutive glyph ids: first [w1 w2 ...].
      HPDF_Array widths = HPDF_Array_New(mmgr);
      HPDF_Array group = nullptr;
      int prev = -2;
      for (std::uint16_t gid : gids) {
        if (gid != prev + 1 || !group) {
          HPDF_Array_AddNumber(widths, gid);
          group = HPDF_Array_New(mmgr);
          HPDF_Array_Add(widths, group);
        }
        HPDF_Array_AddNumber(group, face.glyph_advance(gid));
        prev = gid;
      }
      HPDF_Dict_Add(cid, "W", widths);
      // CID = the face's glyph id; the subset numbers its glyphs anew, so
      // the map gives each CID used its glyph in the subset (two bytes per
      // CID up to the last one used, 0 for those not used).
      std::string map(2 * (static_cast<std::size_t>(*gids.rbegin()) + 1), '\0');
      std::size_t k = 0;
      for (std::uint16_t gid : gids) {
        map[2 * gid] = static_cast<char>(new_ids[k] >> 8);
        map[2 * gid + 1] = static_cast<char>(new_ids[k] & 0xFF);
        ++k;
      }
      HPDF_Dict map_stream = new_stream(map);
      if (!map_stream) return broken();
      HPDF_Dict_Add(cid, "CIDToGIDMap", map_stream);

      HPDF_Dict type0 = new_dict();
      if (!type0) return broken();
      HPDF_Dict_AddName(type0, "Type", "Font");
      HPDF_Dict_AddName(type0, "Subtype", "Type0");
      HPDF_Dict_AddName(type0, "BaseFont", base.c_str());
      HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
      HPDF_Array descendants = HPDF_Array_New(mmgr);
      HPDF_Array_Add(descendants, cid);
      HPDF_Dict_Add(type0, "DescendantFonts", descendants);
      HPDF_Dict cmap = new_stream(to_unicode_cmap(used));
      if (!cmap) return broken();
      HPDF_Dict_Add(type0, "ToUnicode", cmap);
      if (!check(what)) return false;
      fonts_[static_cast<std::size_t>(id)] = type0;
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

  // ---- marked content ---------------------------------------------------------

  // What an item is in a tagged document: its node (> 0), an artifact of
  // its kind (kArtifact - kind), or kNothing when it draws nothing (links
  // are annotations, not content).
  static constexpr int kNothing = -100;
  static constexpr int kArtifact = -1;
  int mark_of(const layout::Item& item, const PreparedRun& prepared) const {
    int node = -1;
    layout::Artifact artifact = layout::Artifact::Layout;
    bool draws = true;
    if (const auto* run = std::get_if<layout::GlyphRun>(&item)) {
      draws = prepared.glyphs && !prepared.glyphs->empty();
      node = run->node, artifact = run->artifact;
    } else if (const auto* line = std::get_if<layout::Line>(&item)) {
      node = line->node, artifact = line->artifact;
    } else if (const auto* rect = std::get_if<layout::Rect>(&item)) {
      draws = rect->fill || rect->stroke;
      node = rect->node, artifact = rect->artifact;
    } else if (const auto* image = std::get_if<layout::Image>(&item)) {
      node = image->node, artifact = image->artifact;
    } else {
      draws = false;
    }
    if (!draws) return kNothing;
    return node >= 0 ? node : kArtifact - static_cast<int>(artifact);
  }

  // The box an item covers (x1 y1 x2 y2), for background artifacts.
  static std::array<double, 4> box_of(const layout::Item& item) {
    if (const auto* run = std::get_if<layout::GlyphRun>(&item))
      return {run->x, run->y - 0.3 * run->size, run->x + run->width, run->y + run->size};
    if (const auto* line = std::get_if<layout::Line>(&item))
      return {std::min(line->x1, line->x2) - line->width / 2, std::min(line->y1, line->y2) - line->width / 2,
              std::max(line->x1, line->x2) + line->width / 2, std::max(line->y1, line->y2) + line->width / 2};
    if (const auto* rect = std::get_if<layout::Rect>(&item))
      return {rect->x, rect->y, rect->x + rect->width, rect->y + rect->height};
    if (const auto* image = std::get_if<layout::Image>(&item))
      return {image->x, image->y, image->x + image->width, image->y + image->height};
    return {0, 0, 0, 0};
  }

  // Where `node` first draws (or holds a link), it takes its place among
  // its parent's kids, and so do its ancestors that had none yet.
  void place(int node) {
    while (node > 0 && !placed_nodes_[static_cast<std::size_t>(node)]) {
      placed_nodes_[static_cast<std::size_t>(node)] = 1;
      const int parent = doc_.structure[static_cast<std::size_t>(node)].parent;
      kids_[static_cast<std::size_t>(parent)].push_back({node, 0, -1, nullptr});
      node = parent;
    }
  }

  // Opens the marked-content sequence `mark` for items [i, ...) of page p.
  void begin_mark(int mark, std::size_t p, std::size_t i) {
    if (mark >= 0) {
      auto& mcids = page_mcids_[p];
      const int mcid = static_cast<int>(mcids.size());
      mcids.push_back(mark);
      place(mark);
      kids_[static_cast<std::size_t>(mark)].push_back({-1, p, mcid, nullptr});
      content_.begin_tagged(doc_.structure[static_cast<std::size_t>(mark)].role, mcid);
      return;
    }
    const auto kind = static_cast<layout::Artifact>(kArtifact - mark);
    if (kind == layout::Artifact::Pagination) {
      content_.begin_artifact("Pagination");
    } else if (kind == layout::Artifact::Layout) {
      content_.begin_artifact("Layout");
    } else {
      // A background artifact says what it covers: the sequence's items.
      const layout::Page& page = doc_.pages[p];
      std::array<double, 4> box = box_of(page.items[i]);
      for (std::size_t k = i + 1; k < page.items.size(); ++k) {
        const int m = mark_of(page.items[k], runs_[p][k]);
        if (m == kNothing) continue;
        if (m != mark) break;
        const auto b = box_of(page.items[k]);
        box = {std::min(box[0], b[0]), std::min(box[1], b[1]), std::max(box[2], b[2]), std::max(box[3], b[3])};
      }
      content_.begin_artifact("Background", box.data());
    }
  }

  bool draw_page(std::size_t p) {
    page_ = pages_[p];
    page_index_ = p;
    content_.reset();
    font_names_.clear();
    where_ = "page " + std::to_string(p + 1);
    const layout::Page& page = doc_.pages[p];
    int open = kNothing;  // the marked-content sequence open, in a tagged document
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      const layout::Item& item = page.items[i];
      if (tagged()) {
        const int mark = mark_of(item, runs_[p][i]);
        if (mark != kNothing && mark != open) {
          if (open != kNothing) content_.end_marked();
          begin_mark(mark, p, i);
          open = mark;
        }
      }
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
    if (open != kNothing) content_.end_marked();
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
    if (!prepared.glyphs || prepared.glyphs->empty()) return true;
    if (const auto& sp = prepared.space) {
      const std::string* name = font_name(sp->font);
      if (!name) return false;
      const int width = doc_.fonts->face(sp->font).glyph_advance(sp->gid);
      const PlacedGlyph space{sp->gid, width, sp->advance > 0 ? sp->advance : width, 0, 0};
      content_.show_glyphs(*name, sp->size, rgb(sp->color), sp->x, sp->y, std::span(&space, 1));
    }
    const std::string* name = font_name(run.font);
    if (!name) return false;
    const fonts::Face& face = doc_.fonts->face(run.font);
    placed_.clear();
    for (const fonts::ShapedGlyph& g : *prepared.glyphs)
      placed_.push_back({g.gid, g.width != fonts::ShapedGlyph::kNoWidth ? g.width : face.glyph_advance(g.gid),
                         g.advance, g.dx, g.dy});
    content_.show_glyphs(*name, run.size, rgb(run.color), run.x, run.y, placed_, prepared.actual_text);
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
      const auto file = files::read_shared(options_.file_store, im.path, files::kMaxInputBytes);
      if (file->status != files::ReadStatus::Ok) return fail("cannot use image '" + im.path + "': " + file->message);
      const ImageCheck info = check_image(file->bytes);
      if (!info.ok) return fail("cannot use image '" + im.path + "': " + info.error);
      const auto* data = reinterpret_cast<const HPDF_BYTE*>(file->bytes.data());
      const auto size = static_cast<HPDF_UINT>(file->bytes.size());
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
    HPDF_Dict_AddNumber(annot, "F", 4);  // printed (PDF/A: every annotation prints)
    if (tagged()) {
      // The link's element holds the annotation (an OBJR) where it stands
      // in the page's order; its /Contents and /StructParent come with the
      // structure tree.
      const auto p = static_cast<std::size_t>(page_index_);
      place(l.node);
      kids_[static_cast<std::size_t>(l.node)].push_back({-1, p, -1, annot});
      links_.push_back({annot, l.node, p, &l});
    }
    return check("adding a link on " + where_);
  }

  // ---- 5. the structure tree -------------------------------------------------

  // A PDF text string: printable ASCII as it is (libharu escapes it), else
  // UTF-16BE with a byte-order mark.
  void* text_string(const std::string& s) {
    const bool ascii = std::all_of(s.begin(), s.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u >= 0x20 && u < 0x7F;
    });
    if (ascii) return HPDF_String_New(pdf_->mmgr, s.c_str(), nullptr);
    std::string bytes = "\xFE\xFF";
    utf16_units(text::decode_utf8(s), [&](unsigned v) {
      bytes += static_cast<char>(v >> 8);
      bytes += static_cast<char>(v & 0xFF);
    });
    return HPDF_Binary_New(pdf_->mmgr, reinterpret_cast<HPDF_BYTE*>(bytes.data()), static_cast<HPDF_UINT>(bytes.size()));
  }

  // The text of each link's element as it reads (its runs, with the spaces
  // prepare_spaces found between them): what the annotation's /Contents
  // says (else its URI, else its target page).
  std::map<int, std::string> link_texts() const {
    std::map<int, std::string> texts;
    for (const LinkRecord& l : links_) texts.try_emplace(l.node);
    for (std::size_t p = 0; p < doc_.pages.size(); ++p)
      for (std::size_t i = 0; i < doc_.pages[p].items.size(); ++i) {
        const auto* run = std::get_if<layout::GlyphRun>(&doc_.pages[p].items[i]);
        if (!run || run->node < 0) continue;
        const auto it = texts.find(run->node);
        if (it == texts.end()) continue;
        if (runs_[p][i].space && !it->second.empty()) it->second += ' ';
        it->second += run->text;
      }
    for (auto& [node, t] : texts) t = std::string(text::trim(t));
    return texts;
  }

  // The attributes of a table cell: the header's scope, spans (ISO 32000-1
  // 14.8.5.7); null when it has none.
  HPDF_Dict table_attributes(const layout::StructNode& node) {
    const bool cell = node.role == "TH" || node.role == "TD";
    if (node.scope.empty() && (!cell || (node.row_span <= 1 && node.col_span <= 1))) return nullptr;
    HPDF_Dict a = HPDF_Dict_New(pdf_->mmgr);
    if (!a) return nullptr;
    HPDF_Dict_AddName(a, "O", "Table");
    if (!node.scope.empty()) HPDF_Dict_AddName(a, "Scope", node.scope.c_str());
    if (cell && node.row_span > 1) HPDF_Dict_AddNumber(a, "RowSpan", node.row_span);
    if (cell && node.col_span > 1) HPDF_Dict_AddNumber(a, "ColSpan", node.col_span);
    return a;
  }

  // The StructTreeRoot with one StructElem per node, each holding its kids
  // in the order they are drawn (frame.h); the parent tree: for each page
  // with marked content (/StructParents) the element of each MCID, for each
  // link annotation (/StructParent) its Link element; the /IDTree of the
  // notes' identifiers; /MarkInfo.
  bool build_structure() {
    const std::string what = "writing the structure tree";
    HPDF_Doc pdf = pdf_.get();
    HPDF_MMgr mmgr = pdf->mmgr;
    const auto& nodes = doc_.structure;
    // An element that draws nothing stands before its first later sibling
    // (in node order) among its parent's kids, else after them: an empty
    // table cell keeps its column (a parent always comes before its children).
    for (std::size_t n = 1; n < nodes.size(); ++n) {
      if (placed_nodes_[n]) continue;
      placed_nodes_[n] = 1;
      auto& siblings = kids_[static_cast<std::size_t>(nodes[n].parent)];
      auto at = std::find_if(siblings.begin(), siblings.end(),
                             [n](const Kid& k) { return k.node > static_cast<int>(n); });
      siblings.insert(at, {static_cast<int>(n), 0, -1, nullptr});
    }

    HPDF_Dict root = new_dict();
    if (!root) return check(what) && fail("libharu could not make the structure tree");
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    std::vector<HPDF_Dict> elems(nodes.size());
    for (auto& e : elems) {
      e = new_dict();
      if (!e) return check(what) && fail("libharu could not make the structure tree");
    }
    std::vector<std::pair<std::string, HPDF_Dict>> ids;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      const layout::StructNode& node = nodes[n];
      HPDF_Dict e = elems[n];
      // (/Type /StructElem is optional: left out, as thousands are written.)
      HPDF_Dict_AddName(e, "S", node.role.c_str());
      HPDF_Dict_Add(e, "P", n == 0 ? root : elems[static_cast<std::size_t>(node.parent)]);
      // Content on one page: MCIDs as numbers, the page the element's /Pg;
      // on several: each a marked-content reference with its page.
      const auto& kids = kids_[n];
      std::optional<std::size_t> page;
      bool several = false;
      for (const Kid& k : kids) {
        if (k.node >= 0) continue;
        if (!page) page = k.page;
        else if (*page != k.page) several = true;
      }
      if (page && !several) HPDF_Dict_Add(e, "Pg", pages_[*page]);
      if (kids.size() == 1 && kids[0].node < 0 && !kids[0].annot && !several) {
        HPDF_Dict_AddNumber(e, "K", kids[0].mcid);  // one MCID: no array
      } else if (!kids.empty()) {
        HPDF_Array array = HPDF_Array_New(mmgr);
        for (const Kid& k : kids) {
          if (k.node >= 0) {
            HPDF_Array_Add(array, elems[static_cast<std::size_t>(k.node)]);
          } else if (k.annot) {
            HPDF_Dict objr = HPDF_Dict_New(mmgr);
            HPDF_Dict_AddName(objr, "Type", "OBJR");
            HPDF_Dict_Add(objr, "Obj", k.annot);
            if (several) HPDF_Dict_Add(objr, "Pg", pages_[k.page]);
            HPDF_Array_Add(array, objr);
          } else if (several) {
            HPDF_Dict mcr = HPDF_Dict_New(mmgr);
            HPDF_Dict_AddName(mcr, "Type", "MCR");
            HPDF_Dict_Add(mcr, "Pg", pages_[k.page]);
            HPDF_Dict_AddNumber(mcr, "MCID", k.mcid);
            HPDF_Array_Add(array, mcr);
          } else {
            HPDF_Array_AddNumber(array, k.mcid);
          }
        }
        HPDF_Dict_Add(e, "K", array);
      }
      if (!node.title.empty()) HPDF_Dict_Add(e, "T", text_string(node.title));
      if (!node.lang.empty()) HPDF_Dict_Add(e, "Lang", text_string(node.lang));
      if (!node.alt.empty()) HPDF_Dict_Add(e, "Alt", text_string(node.alt));
      if (!node.id.empty()) {
        HPDF_Dict_Add(e, "ID", HPDF_Binary_New(mmgr, reinterpret_cast<HPDF_BYTE*>(const_cast<char*>(node.id.data())),
                                               static_cast<HPDF_UINT>(node.id.size())));
        ids.emplace_back(node.id, e);
      }
      if (HPDF_Dict a = table_attributes(node)) HPDF_Dict_Add(e, "A", a);
      if (!check(what)) return false;
    }
    HPDF_Dict_Add(root, "K", elems[0]);

    HPDF_Dict tree = new_dict();
    if (!tree) return check(what) && fail("libharu could not make the parent tree");
    HPDF_Array nums = HPDF_Array_New(mmgr);
    for (std::size_t p = 0; p < pages_.size(); ++p) {
      if (page_mcids_[p].empty()) continue;
      HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(p));
      HPDF_Array owners = HPDF_Array_New(mmgr);
      for (int node : page_mcids_[p]) HPDF_Array_Add(owners, elems[static_cast<std::size_t>(node)]);
      HPDF_Array_Add(nums, owners);
      HPDF_Dict_AddNumber(pages_[p], "StructParents", static_cast<HPDF_INT32>(p));
    }
    auto key = static_cast<HPDF_INT32>(pages_.size());
    const std::map<int, std::string> texts = link_texts();
    std::set<std::size_t> annotated;
    for (const LinkRecord& l : links_) {
      HPDF_Array_AddNumber(nums, key);
      HPDF_Array_Add(nums, elems[static_cast<std::size_t>(l.node)]);
      HPDF_Dict_AddNumber(l.annot, "StructParent", key);
      ++key;
      std::string contents = texts.at(l.node);
      if (contents.empty()) contents = l.link->uri;
      if (contents.empty()) contents = "-> " + std::to_string(l.link->dest_page + 1);
      HPDF_Dict_Add(l.annot, "Contents", text_string(contents));
      annotated.insert(l.page);
    }
    HPDF_Dict_Add(tree, "Nums", nums);
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key);
    // Tab order follows the structure on pages with annotations.
    for (std::size_t p : annotated) HPDF_Dict_AddName(pages_[p], "Tabs", "S");
    if (!ids.empty()) {
      std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t i = 1; i < ids.size(); ++i)
        if (ids[i].first == ids[i - 1].first) return fail("two structure elements have the ID '" + ids[i].first + "'");
      HPDF_Dict id_tree = new_dict();
      if (!id_tree) return check(what) && fail("libharu could not make the ID tree");
      HPDF_Array names = HPDF_Array_New(mmgr);
      for (const auto& [id, e] : ids) {
        HPDF_Array_Add(names, HPDF_Binary_New(mmgr, reinterpret_cast<HPDF_BYTE*>(const_cast<char*>(id.data())),
                                              static_cast<HPDF_UINT>(id.size())));
        HPDF_Array_Add(names, e);
      }
      HPDF_Dict_Add(id_tree, "Names", names);
      HPDF_Dict_Add(root, "IDTree", id_tree);
    }
    HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
    HPDF_Dict mark = HPDF_Dict_New(mmgr);
    HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mmgr, HPDF_TRUE));
    HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
    return check(what);
  }

  // ---- 6. outline and saving ------------------------------------------------

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
    // libharu writes every object plainly; a compressed file has its small
    // objects (structure elements, annotations, font dictionaries, pages)
    // in object streams.
    if (options_.compress) {
      auto packed = own::pack_objects(result_.bytes);
      if (!packed) return fail("cannot put libharu's objects into object streams");
      result_.bytes = std::move(*packed);
    }
    if (!stamp_file_id(result_.bytes)) return fail("libharu wrote no file identifier");
    result_.ok = true;
    return true;
  }

  const layout::Document& doc_;
  const PdfOptions& options_;
  PdfResult& result_;
  HaruError error_;
  DocPtr pdf_;
  HPDF_Encoder utf8_ = nullptr;

  std::vector<std::vector<PreparedRun>> runs_;        // per page, per item: the text to set
  std::map<fonts::FontId, UsedFont> used_;  // per used face
  std::set<std::pair<fonts::FontId, char32_t>> warned_;
  std::vector<HPDF_Dict> fonts_;  // the Type0 font of each FontId
  std::vector<HPDF_Page> pages_;
  std::map<std::string, HPDF_Image> images_;  // per path

  // A tagged document's structure as drawn: each node's kids (a child
  // element, an MCID on a page, or a link annotation) in drawing order.
  struct Kid {
    int node = -1;  // a child element, else content:
    std::size_t page = 0;
    int mcid = -1;               // marked content on `page`, or
    HPDF_Dict annot = nullptr;   // a link annotation on it
  };
  struct LinkRecord {
    HPDF_Dict annot;
    int node;
    std::size_t page;
    const layout::Link* link;
  };
  std::vector<std::vector<Kid>> kids_;         // per node
  std::vector<char> placed_nodes_;             // per node: among its parent's kids yet
  std::vector<std::vector<int>> page_mcids_;   // per page: the node of each MCID
  std::vector<LinkRecord> links_;              // in drawing order

  HPDF_Page page_ = nullptr;
  std::size_t page_index_ = 0;
  ContentStream content_;                           // the current page's operators
  std::vector<PlacedGlyph> placed_;                 // the run being drawn
  std::vector<std::uint32_t> starts_;               // the clusters of the run being prepared
  std::map<fonts::FontId, std::string> font_names_;  // on the current page
  std::string where_;
};

}  // namespace

PdfResult render_pdf(const layout::Document& doc, const PdfOptions& options) {
  PdfResult result;
  Renderer renderer(doc, options, result);
  renderer.run();
  if (!result.ok) {
    result.ok = false;
    result.bytes.clear();
    if (result.error.empty()) result.error = "cannot render the PDF";
  }
  return result;
}

}  // namespace cp::render
