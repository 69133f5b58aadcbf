// Face: metrics and coverage read with HarfBuzz, computed the way libharu
// 2.3.0 computes them (hpdf_fontdef_tt.c), and subsets cut with hb-subset.
#include "fonts/fonts.h"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <span>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <system_error>

#include "core/text.h"

namespace cp::fonts {

namespace {

// Font files can be larger than ordinary inputs (CJK fonts: 15-20 MB).
constexpr std::uintmax_t kMaxFontBytes = 64u * 1024u * 1024u;

struct BlobDeleter {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
};
struct FaceDeleter {
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};
struct FontDeleter {
  void operator()(hb_font_t* f) const { hb_font_destroy(f); }
};
struct SetDeleter {
  void operator()(hb_set_t* s) const { hb_set_destroy(s); }
};
struct SubsetInputDeleter {
  void operator()(hb_subset_input_t* s) const { hb_subset_input_destroy(s); }
};
struct PlanDeleter {
  void operator()(hb_subset_plan_t* p) const { hb_subset_plan_destroy(p); }
};
using BlobPtr = std::unique_ptr<hb_blob_t, BlobDeleter>;
using HbFacePtr = std::unique_ptr<hb_face_t, FaceDeleter>;

// A HarfBuzz face over bytes that outlive it (no copy).
HbFacePtr make_hb_face(const std::string& bytes) {
  BlobPtr blob(hb_blob_create(bytes.data(), static_cast<unsigned>(bytes.size()), HB_MEMORY_MODE_READONLY, nullptr,
                              nullptr));
  return HbFacePtr(hb_face_create(blob.get(), 0));
}

// The raw bytes of one table (empty when absent).
std::string table(hb_face_t* face, hb_tag_t tag) {
  BlobPtr blob(hb_face_reference_table(face, tag));
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob.get(), &len);
  return data ? std::string(data, len) : std::string();
}

int read_i16(const std::string& t, std::size_t off) {
  if (off + 2 > t.size()) return 0;
  const auto hi = static_cast<unsigned char>(t[off]);
  const auto lo = static_cast<unsigned char>(t[off + 1]);
  return static_cast<std::int16_t>(static_cast<std::uint16_t>((hi << 8) | lo));
}

int read_u16(const std::string& t, std::size_t off) {
  if (off + 2 > t.size()) return 0;
  return (static_cast<unsigned char>(t[off]) << 8) | static_cast<unsigned char>(t[off + 1]);
}

// libharu: (HPDF_INT32)value * 1000 / units_per_em, C division (truncation
// towards zero).
int per_mille(int value, int upem) { return value * 1000 / upem; }

void put16(std::string& out, unsigned v) {
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

std::string name_string(hb_face_t* face, hb_ot_name_id_t id) {
  char buf[512];
  unsigned len = sizeof buf;
  if (hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf) == 0) return {};
  return std::string(buf, len);
}

// A 'name' table with family (1), subfamily (2), full name (4) and
// PostScript name (6), Windows Unicode English only. The subfamily is
// written as "Regular": libharu 2.3.0 appends any other subfamily to the
// PDF font name ("NotoSans-Bold,Bold") and marks the font ForceBold; with
// "Regular" the PDF name is the PostScript name, which already says the
// style. (The embedded font's name table is not used by PDF readers.)
std::string pdf_name_table(hb_face_t* face) {
  std::string full = name_string(face, HB_OT_NAME_ID_FULL_NAME);
  std::string family = name_string(face, HB_OT_NAME_ID_FONT_FAMILY);
  std::string ps = name_string(face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
  if (ps.empty()) ps = "Font";
  if (family.empty()) family = ps;
  if (full.empty()) full = ps;
  const std::pair<unsigned, std::string> records[] = {{1, family}, {2, "Regular"}, {4, full}, {6, ps}};
  std::string header, strings;
  put16(header, 0);                   // format
  put16(header, static_cast<unsigned>(std::size(records)));  // count
  put16(header, 6 + 12 * static_cast<unsigned>(std::size(records)));
  for (const auto& [id, value] : records) {
    std::string utf16;
    for (char32_t cp : text::decode_utf8(value)) {
      if (cp > 0xFFFF) cp = U'?';
      put16(utf16, static_cast<unsigned>(cp));
    }
    put16(header, 3);       // platform: Windows
    put16(header, 1);       // encoding: Unicode BMP
    put16(header, 0x0409);  // language: English (US)
    put16(header, id);
    put16(header, static_cast<unsigned>(utf16.size()));
    put16(header, static_cast<unsigned>(strings.size()));
    strings += utf16;
  }
  return header + strings;
}

bool settable(char32_t cp) {
  // libharu's UTF-8 encoder: U+0000..U+001F are its notdef range; anything
  // beyond U+FFFF becomes a space; surrogates are not characters.
  return cp >= 0x20 && cp <= 0xFFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

struct BufferDeleter {
  void operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }
};

double thousandths(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

// The HarfBuzz font a face shapes with (immutable, so shared by threads)
// and the words it has shaped.
struct Face::Shaper {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  HbFacePtr face;
  std::unique_ptr<hb_font_t, FontDeleter> font;
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<ShapedGlyph>>, Hash, std::equal_to<>> cache;
  static constexpr std::size_t kMaxEntries = 1'000'000;
  // Subsets cut by subset_glyphs, by the glyphs they hold: documents of
  // one kind (the handouts of a programme, their briefs) mostly use the
  // same glyphs of a face, and cutting a subset reads the whole font.
  struct Subset {
    std::string bytes;
    std::vector<std::uint16_t> new_ids;
  };
  std::mutex subset_mutex;
  std::map<std::vector<std::uint16_t>, std::shared_ptr<const Subset>> subsets;
  std::size_t subset_bytes = 0;
  static constexpr std::size_t kMaxSubsetBytes = 64u * 1024u * 1024u;
};

ShapeProps detect_script(std::string_view utf8) {
  hb_unicode_funcs_t* ufuncs = hb_unicode_funcs_get_default();
  std::size_t i = 0;
  while (i < utf8.size()) {
    const hb_script_t script = hb_unicode_script(ufuncs, text::next_code_point(utf8, i));
    if (script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED || script == HB_SCRIPT_UNKNOWN) continue;
    return {static_cast<std::uint32_t>(script),
            hb_script_get_horizontal_direction(script) == HB_DIRECTION_RTL};
  }
  return {static_cast<std::uint32_t>(HB_SCRIPT_LATIN), false};
}

std::shared_ptr<const Face> Face::load(const std::string& path) { return load(path, nullptr); }

std::shared_ptr<const Face> Face::load(const std::string& path, std::string* error) {
  auto fail = [&](std::string why) -> std::shared_ptr<const Face> {
    if (error) *error = std::move(why);
    return nullptr;
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail("cannot read font file '" + path + "': " + ec.message());
  if (size > kMaxFontBytes) return fail("font file '" + path + "' is too large");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open font file '" + path + "'");

  std::shared_ptr<Face> f(new Face());
  f->path_ = path;
  f->bytes_.resize(static_cast<std::size_t>(size));
  in.read(f->bytes_.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) return fail("cannot read font file '" + path + "'");
  if (f->bytes_.size() >= 4 && f->bytes_.compare(0, 4, "ttcf") == 0)
    return fail("font file '" + path + "' is a collection (.ttc); use a single .ttf font");

  HbFacePtr face = make_hb_face(f->bytes_);
  if (hb_face_get_glyph_count(face.get()) == 0) return fail("'" + path + "' is not a font file");
  if (table(face.get(), HB_TAG('g', 'l', 'y', 'f')).empty())
    return fail("font file '" + path +
                "' has no TrueType outlines (CFF-based OpenType cannot be embedded by libharu); use a .ttf font");
  const std::string head = table(face.get(), HB_TAG('h', 'e', 'a', 'd'));
  const int upem = read_u16(head, 18);
  if (upem <= 0) return fail("font file '" + path + "' has no valid 'head' table");
  f->units_per_em_ = upem;

  const std::string hhea = table(face.get(), HB_TAG('h', 'h', 'e', 'a'));
  if (hhea.size() < 36) return fail("font file '" + path + "' has no valid 'hhea' table");
  f->ascender_ = per_mille(read_i16(hhea, 4), upem);
  f->descender_ = per_mille(read_i16(hhea, 6), upem);
  if (f->descender_ > 0) f->descender_ = -f->descender_;  // as libharu does

  std::unique_ptr<hb_font_t, FontDeleter> font(hb_font_create(face.get()));
  hb_font_set_scale(font.get(), upem, upem);  // advances in font units

  const std::string os2 = table(face.get(), HB_TAG('O', 'S', '/', '2'));
  if (os2.size() < 10) return fail("font file '" + path + "' has no valid 'OS/2' table");
  // fsType: restricted licence (0x0002), no subsetting (0x0100) or bitmap
  // embedding only (0x0200) forbid what the renderer does; libharu would
  // refuse the font only when the PDF is written.
  if (read_u16(os2, 8) & (0x0002 | 0x0100 | 0x0200))
    return fail("the licence of font '" + path + "' does not allow embedding a subset in a PDF");
  if (os2.size() >= 90 && read_u16(os2, 0) >= 2) {
    f->cap_height_ = per_mille(read_i16(os2, 88), upem);
  } else {
    hb_codepoint_t gid = 0;
    hb_glyph_extents_t ext{};
    if (hb_font_get_nominal_glyph(font.get(), 'H', &gid) && hb_font_get_glyph_extents(font.get(), gid, &ext))
      f->cap_height_ = per_mille(ext.y_bearing, upem);
  }

  char name[256];
  unsigned name_len = sizeof name;
  if (hb_ot_name_get_utf8(face.get(), HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &name_len, name) > 0)
    f->ps_name_.assign(name, name_len);
  if (f->ps_name_.empty()) f->ps_name_ = std::filesystem::path(path).stem().string();

  Descriptor& d = f->descriptor_;
  if (head.size() >= 54) {
    for (int k = 0; k < 4; ++k) d.bbox[k] = per_mille(read_i16(head, 36 + 2 * static_cast<std::size_t>(k)), upem);
    d.italic = (read_u16(head, 44) & 0x2) != 0;
  }
  const std::string post = table(face.get(), HB_TAG('p', 'o', 's', 't'));
  if (post.size() >= 16) {
    d.italic_angle = read_i16(post, 4) + read_u16(post, 6) / 65536.0;
    d.fixed_pitch = read_u16(post, 12) != 0 || read_u16(post, 14) != 0;
  }
  d.weight = read_u16(os2, 4);
  if (os2.size() >= 32) {
    const int family_class = read_u16(os2, 30) >> 8;
    d.serif = family_class >= 1 && family_class <= 7;
  }

  std::unique_ptr<hb_set_t, SetDeleter> unicodes(hb_set_create());
  hb_face_collect_unicodes(face.get(), unicodes.get());
  f->direct_.assign(kDirect, -1);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(unicodes.get(), &cp)) {
    if (!settable(cp)) continue;
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(font.get(), cp, &gid) || gid == 0) continue;
    const int adv = static_cast<int>(hb_font_get_glyph_h_advance(font.get(), gid));
    // libharu: (HPDF_UINT16)((HPDF_UINT)advance_width * 1000 / units_per_em)
    const int width = static_cast<int>(static_cast<unsigned>(adv) * 1000u / static_cast<unsigned>(upem));
    if (cp < kDirect)
      f->direct_[cp] = width;
    else
      f->advances_.emplace(static_cast<char32_t>(cp), width);
  }

  auto shaper = std::make_shared<Shaper>();
  shaper->face = make_hb_face(f->bytes_);
  shaper->font.reset(hb_font_create(shaper->face.get()));
  hb_font_set_scale(shaper->font.get(), upem, upem);
  hb_font_make_immutable(shaper->font.get());
  f->shaper_ = std::move(shaper);
  return f;
}

int Face::glyph_advance(std::uint16_t gid) const {
  const auto adv = static_cast<unsigned>(hb_font_get_glyph_h_advance(shaper_->font.get(), gid));
  return static_cast<int>(adv * 1000u / static_cast<unsigned>(units_per_em_));
}

std::uint16_t Face::glyph(char32_t cp) const {
  hb_codepoint_t gid = 0;
  if (!hb_font_get_nominal_glyph(shaper_->font.get(), cp, &gid)) return 0;
  return static_cast<std::uint16_t>(gid);
}

std::shared_ptr<const std::vector<ShapedGlyph>> Face::shape(std::string_view text) const {
  Shaper& sh = *shaper_;
  {
    std::lock_guard lock(sh.mutex);
    if (const auto it = sh.cache.find(text); it != sh.cache.end()) return it->second;
  }
  thread_local std::unique_ptr<hb_buffer_t, BufferDeleter> buffer(hb_buffer_create());
  hb_buffer_t* buf = buffer.get();
  hb_buffer_reset(buf);
  hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0, static_cast<int>(text.size()));
  const ShapeProps props = detect_script(text);
  const auto script = static_cast<hb_script_t>(props.script);
  hb_buffer_set_script(buf, script);
  hb_buffer_set_direction(buf, props.rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  static const hb_language_t swedish = hb_language_from_string("sv", -1);
  hb_buffer_set_language(buf, script == HB_SCRIPT_LATIN ? swedish : hb_language_get_default());
  hb_shape(sh.font.get(), buf, nullptr, 0);

  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, nullptr);
  auto out = std::make_shared<std::vector<ShapedGlyph>>();
  out->reserve(n);
  const double scale = 1000.0 / units_per_em_;
  for (unsigned k = 0; k < n; ++k) {
    ShapedGlyph g;
    g.gid = static_cast<std::uint16_t>(info[k].codepoint);
    g.cluster = info[k].cluster;
    const hb_position_t nominal = hb_font_get_glyph_h_advance(sh.font.get(), info[k].codepoint);
    // The nominal width exactly as /W says it, plus what shaping changed.
    const int width = glyph_advance(g.gid);
    if (width >= 0 && width < ShapedGlyph::kNoWidth) g.width = static_cast<std::uint16_t>(width);
    g.advance = width + thousandths((pos[k].x_advance - nominal) * scale);
    g.dx = thousandths(pos[k].x_offset * scale);
    g.dy = thousandths(pos[k].y_offset * scale);
    out->push_back(g);
  }
  std::shared_ptr<const std::vector<ShapedGlyph>> result = std::move(out);
  std::lock_guard lock(sh.mutex);
  if (sh.cache.size() < Shaper::kMaxEntries) sh.cache.emplace(std::string(text), result);
  return result;
}

double Face::shaped_advance(std::string_view text) const {
  double sum = 0;
  // Held while read: a range-for over `*shape(text)` would let the shared
  // pointer die first, and another thread's entry may be the cache's.
  const auto glyphs = shape(text);
  for (const ShapedGlyph& g : *glyphs) sum += g.advance;
  return sum;
}

bool Face::covers(char32_t cp) const {
  if (cp < kDirect) return direct_[cp] >= 0;
  return advances_.find(cp) != advances_.end();
}

int Face::advance(char32_t cp) const {
  if (cp < kDirect) return std::max(direct_[cp], 0);
  const auto it = advances_.find(cp);
  return it == advances_.end() ? 0 : it->second;
}

long long Face::advance(std::string_view text) const {
  long long sum = 0;
  std::size_t i = 0;
  while (i < text.size()) sum += advance(text::next_code_point(text, i));
  return sum;
}

namespace {

// Tells the subsetter to drop every table of `face` but those in `keep`.
void drop_tables_except(hb_face_t* face, std::span<const hb_tag_t> keep, hb_subset_input_t* input) {
  hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_tag_t tags[64];
  unsigned start = 0;
  for (;;) {
    unsigned count = 64;
    hb_face_get_table_tags(face, start, &count, tags);
    if (count == 0) break;
    for (unsigned i = 0; i < count; ++i)
      if (std::find(keep.begin(), keep.end(), tags[i]) == keep.end()) hb_set_add(drop, tags[i]);
    start += count;
  }
}

}  // namespace

std::string Face::subset(const std::set<char32_t>& chars) const {
  HbFacePtr face = make_hb_face(bytes_);
  std::unique_ptr<hb_subset_input_t, SubsetInputDeleter> input(hb_subset_input_create_or_fail());
  if (!input) return {};
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (char32_t cp : chars) hb_set_add(unicodes, cp);

  // Keep only what libharu reads or embeds: dropping GSUB/GPOS/GDEF also
  // keeps the glyph closure to the characters asked for.
  static constexpr hb_tag_t kKeep[] = {
      HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('h', 'e', 'a', 'd'),
      HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'),
      HB_TAG('O', 'S', '/', '2'), HB_TAG('p', 'o', 's', 't'), HB_TAG('c', 'v', 't', ' '), HB_TAG('f', 'p', 'g', 'm'),
      HB_TAG('p', 'r', 'e', 'p')};
  drop_tables_except(face.get(), kKeep, input.get());
  hb_tag_t tags[64];
  unsigned start = 0;

  HbFacePtr builder_out(hb_subset_or_fail(face.get(), input.get()));
  if (!builder_out) return {};
  // HarfBuzz 6 cannot list the tables of a builder face: serialise and parse.
  BlobPtr subset_blob(hb_face_reference_blob(builder_out.get()));
  HbFacePtr out(hb_face_create(subset_blob.get(), 0));

  // Reassemble the font with the name table libharu should see.
  const std::string name = pdf_name_table(face.get());
  BlobPtr name_blob(
      hb_blob_create(name.data(), static_cast<unsigned>(name.size()), HB_MEMORY_MODE_DUPLICATE, nullptr, nullptr));
  HbFacePtr builder(hb_face_builder_create());
  hb_face_builder_add_table(builder.get(), HB_TAG('n', 'a', 'm', 'e'), name_blob.get());
  start = 0;
  for (;;) {
    unsigned count = 64;
    hb_face_get_table_tags(out.get(), start, &count, tags);
    if (count == 0) break;
    for (unsigned i = 0; i < count; ++i) {
      if (tags[i] == HB_TAG('n', 'a', 'm', 'e')) continue;
      BlobPtr table_blob(hb_face_reference_table(out.get(), tags[i]));
      hb_face_builder_add_table(builder.get(), tags[i], table_blob.get());
    }
    start += count;
  }
  BlobPtr blob(hb_face_reference_blob(builder.get()));
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob.get(), &len);
  return data && len > 0 ? std::string(data, len) : std::string();
}

namespace {

// subset_glyphs without the cache.
std::string cut_subset(hb_face_t* face, const std::set<std::uint16_t>& gids, std::vector<std::uint16_t>* new_ids) {
  std::unique_ptr<hb_subset_input_t, SubsetInputDeleter> input(hb_subset_input_create_or_fail());
  if (!input) return {};
  hb_set_t* glyphs = hb_subset_input_glyph_set(input.get());
  hb_set_add(glyphs, 0);
  for (std::uint16_t gid : gids) hb_set_add(glyphs, gid);
  // The glyphs are numbered anew (0, 1, 2, ... in the order of their ids,
  // with the components of composite glyphs), so 'loca' and 'hmtx' hold
  // the glyphs kept, not the whole font. Only the tables a PDF reader needs
  // to draw TrueType glyphs are kept (no layout tables, so no closure pulls
  // in other glyphs; no cmap, the PDF maps CIDs to glyphs).
  static constexpr hb_tag_t kKeep[] = {HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('h', 'e', 'a', 'd'),
                                       HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
                                       HB_TAG('O', 'S', '/', '2'), HB_TAG('p', 'o', 's', 't'), HB_TAG('c', 'v', 't', ' '),
                                       HB_TAG('f', 'p', 'g', 'm'), HB_TAG('p', 'r', 'e', 'p'), HB_TAG('n', 'a', 'm', 'e')};
  drop_tables_except(face, kKeep, input.get());
  std::unique_ptr<hb_subset_plan_t, PlanDeleter> plan(hb_subset_plan_create_or_fail(face, input.get()));
  if (!plan) return {};
  HbFacePtr out(hb_subset_plan_execute_or_fail(plan.get()));
  if (!out) return {};
  if (new_ids) {
    const hb_map_t* map = hb_subset_plan_old_to_new_glyph_mapping(plan.get());
    new_ids->clear();
    for (std::uint16_t gid : gids) {
      const hb_codepoint_t n = hb_map_get(map, gid);
      new_ids->push_back(n == HB_MAP_VALUE_INVALID ? 0 : static_cast<std::uint16_t>(n));
    }
  }
  BlobPtr blob(hb_face_reference_blob(out.get()));
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob.get(), &len);
  return data && len > 0 ? std::string(data, len) : std::string();
}

}  // namespace

std::string Face::subset_glyphs(const std::set<std::uint16_t>& gids, std::vector<std::uint16_t>* new_ids) const {
  Shaper& sh = *shaper_;
  std::vector<std::uint16_t> key(gids.begin(), gids.end());
  {
    std::lock_guard lock(sh.subset_mutex);
    if (const auto it = sh.subsets.find(key); it != sh.subsets.end()) {
      if (new_ids) *new_ids = it->second->new_ids;
      return it->second->bytes;
    }
  }
  auto cut = std::make_shared<Shaper::Subset>();
  // The shaper's face: HarfBuzz faces are safe to share between threads,
  // and its tables are parsed already.
  cut->bytes = cut_subset(sh.face.get(), gids, &cut->new_ids);
  if (new_ids) *new_ids = cut->new_ids;
  std::lock_guard lock(sh.subset_mutex);
  if (!cut->bytes.empty() && sh.subset_bytes + cut->bytes.size() <= Shaper::kMaxSubsetBytes &&
      sh.subsets.emplace(std::move(key), cut).second)
    sh.subset_bytes += cut->bytes.size();
  return cut->bytes;
}

}  // namespace cp::fonts
