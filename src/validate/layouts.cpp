// layouts/*.yaml: page geometry, fonts, sizes, colours, templates and the
// certificate's positioned elements. Every key is optional; a missing file
// keeps the defaults of model.h.
#include "validate/readers.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/text.h"
#include "validate/fields.h"
#include "validate/validate.h"
#include "validate/templates.h"

namespace cp::validate {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------- values

struct Unit {
  std::string_view name;
  double points;
};
constexpr Unit kUnits[] = {{"mm", 72.0 / 25.4}, {"cm", 72.0 / 2.54}, {"pt", 1.0}, {"in", 72.0}};

// "20mm", "2 cm", "12pt", "1in", or a bare number of points.
std::optional<double> parse_length(std::string_view s) {
  s = text::trim(s);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  const std::string_view unit = text::trim(s.substr(static_cast<std::size_t>(end - s.data())));
  if (unit.empty()) return value;
  for (const auto& u : kUnits)
    if (unit == u.name) return value * u.points;
  return std::nullopt;
}

std::optional<double> to_length(const YamlNode& node, std::string_view key, Bound bound, Diagnostics& diags) {
  const auto length = node.is_scalar() ? parse_length(node.scalar) : std::nullopt;
  if (!length) {
    diags.error(node.loc, fmt::format("invalid length '{}'", node.scalar),
                "write points (12) or a number with mm, cm, pt or in (20mm)");
    return std::nullopt;
  }
  if (!check_bound(node, key, *length, bound, diags)) return std::nullopt;
  return length;
}

bool read_length(const Fields& f, std::string_view key, double& out, Bound bound = Bound::NonNegative) {
  const YamlNode* v = f.get(key);
  const auto length = v ? to_length(*v, key, bound, f.diags()) : std::nullopt;
  if (length) out = *length;
  return length.has_value();
}

std::optional<model::Color> parse_color(std::string_view s) {
  s = text::trim(s);
  if (s.size() != 7 || s[0] != '#') return std::nullopt;
  unsigned rgb = 0;
  const auto [end, ec] = std::from_chars(s.data() + 1, s.data() + 7, rgb, 16);
  if (ec != std::errc() || end != s.data() + 7) return std::nullopt;
  return model::Color{((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
}

void read_color(const Fields& f, std::string_view key, model::Color& out) {
  const auto* e = f.entry(key);
  if (!e) return;
  // `accent: #00528c` unquoted is a comment, so the value comes out empty.
  if (e->value->is_null()) {
    f.diags().error(e->value->loc, fmt::format("'{}' has no value", key),
                    "write the colour in quotes, e.g. \"#00528c\"; an unquoted # starts a comment");
    return;
  }
  if (const auto c = e->value->is_scalar() ? parse_color(e->value->scalar) : std::nullopt)
    out = *c;
  else
    f.diags().error(e->value->loc, fmt::format("invalid colour '{}'", e->value->scalar),
                    "write \"#rrggbb\" in quotes, e.g. \"#00528c\"");
}

void check_template(const YamlNode& node, PlaceholderScope scope, Diagnostics& diags) {
  check_placeholders(
      node.scalar, scope, [&](std::size_t offset) { return node.loc_at(offset); }, diags);
}

bool read_template(const Fields& f, std::string_view key, std::string& out, PlaceholderScope scope) {
  if (!f.text(key, out)) return false;
  check_template(*f.get(key), scope, f.diags());
  return true;
}

// ---------------------------------------------------------------- page

struct PageSize {
  double width, height;  // portrait, points
};
constexpr Choice<PageSize> kPageSizes[] = {
    {"A4", {595.276, 841.890}}, {"A5", {419.528, 595.276}}, {"A3", {841.890, 1190.551}}, {"letter", {612.0, 792.0}}};
constexpr Choice<bool> kOrientations[] = {{"portrait", false}, {"landscape", true}};

void read_margins(const YamlNode& node, model::Margins& m, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"top", "right", "bottom", "left"};
  if (node.is_scalar()) {
    if (const auto all = to_length(node, "margins", Bound::NonNegative, diags)) m = {*all, *all, *all, *all};
    return;
  }
  if (!expect_mapping(node, "margins", diags)) return;
  const Fields f(node, kKeys, diags);
  read_length(f, "top", m.top);
  read_length(f, "right", m.right);
  read_length(f, "bottom", m.bottom);
  read_length(f, "left", m.left);
}

// The size keeps the layout's default orientation unless one is given.
void read_page(const Fields& layout, model::PageSpec& page) {
  static constexpr std::string_view kKeys[] = {"size", "orientation", "margins"};
  const YamlNode* node = layout.mapping("page");
  if (!node) return;
  Diagnostics& diags = layout.diags();
  const Fields f(*node, kKeys, diags);
  bool landscape = page.width > page.height;
  if (const YamlNode* o = f.get("orientation"))
    if (const auto l = to_choice(*o, "orientation", kOrientations, diags)) landscape = *l;
  PageSize size{std::min(page.width, page.height), std::max(page.width, page.height)};
  if (const YamlNode* s = f.get("size"))
    if (const auto ps = to_choice(*s, "page size", kPageSizes, diags)) size = *ps;
  page.width = landscape ? size.height : size.width;
  page.height = landscape ? size.width : size.height;
  if (const YamlNode* m = f.get("margins")) {
    read_margins(*m, page.margins, diags);
    const auto& mg = page.margins;
    if (mg.left + mg.right >= page.width || mg.top + mg.bottom >= page.height)
      diags.error(m->loc, "margins leave no room on the page");
  }
}

// ---------------------------------------------------------------- fonts

// A fontconfig family name, or files for the styles (paths under layouts/).
// A style without a file falls back to one that has one, as the typesetter
// does for families.
model::FontFamily read_font(const Context& ctx, const YamlNode& node, std::string_view key,
                            const model::FontFamily& fallback) {
  static constexpr std::string_view kKeys[] = {"regular", "bold", "italic", "bold_italic"};
  if (node.is_scalar()) {
    const std::string_view family = text::trim(node.scalar);
    if (!family.empty()) return {std::string(family), {}, {}, {}, {}};
    ctx.diags.error(node.loc, fmt::format("'{}' must not be empty", key));
    return fallback;
  }
  if (!node.is_mapping()) {
    ctx.diags.error(node.loc, fmt::format("'{}' must be a font family name or a mapping of font files", key));
    return fallback;
  }
  const Fields f(node, kKeys, ctx.diags);
  std::string files[4];
  for (std::size_t i = 0; i < 4; ++i)
    if (const YamlNode* v = f.get(kKeys[i]))
      if (const auto file = resolve_file(ctx, *v, kKeys[i], Folder::Layouts)) files[i] = file->string();
  if (files[0].empty()) files[0] = !files[1].empty() ? files[1] : !files[2].empty() ? files[2] : files[3];
  if (files[0].empty()) return fallback;
  model::FontFamily family;
  family.regular = files[0];
  family.bold = files[1].empty() ? files[0] : files[1];
  family.italic = files[2].empty() ? files[0] : files[2];
  family.bold_italic = files[3].empty() ? family.bold : files[3];
  return family;
}

void read_font_key(const Context& ctx, const Fields& f, std::string_view key, model::FontFamily& out) {
  if (const YamlNode* v = f.get(key)) out = read_font(ctx, *v, key, out);
}

// ---------------------------------------------------------------- handout

void read_heading_sizes(const Fields& f, double (&sizes)[3]) {
  const YamlNode* list = f.list("heading_sizes");
  if (!list) return;
  if (list->items.size() != 3) {
    f.diags().error(list->loc, "'heading_sizes' must be a list of 3 sizes");
    return;
  }
  for (std::size_t i = 0; i < 3; ++i)
    read_number(*list->items[i], "heading_sizes", sizes[i], Bound::Positive, f.diags());
}

void read_running_text(const Fields& layout, std::string_view key, std::string& left, std::string& right) {
  static constexpr std::string_view kKeys[] = {"left", "right"};
  const YamlNode* node = layout.mapping(key);
  if (!node) return;
  const Fields f(*node, kKeys, layout.diags());
  const PlaceholderScope scope{.participant = false, .page = true};
  read_template(f, "left", left, scope);
  read_template(f, "right", right, scope);
}

void read_handout_colors(const Fields& layout, model::HandoutLayout& h) {
  static constexpr std::string_view kKeys[] = {"text", "accent", "discussion", "note", "case"};
  const YamlNode* node = layout.mapping("colors");
  if (!node) return;
  const Fields f(*node, kKeys, layout.diags());
  read_color(f, "text", h.text_color);
  read_color(f, "accent", h.accent);
  read_color(f, "discussion", h.box_discussion);
  read_color(f, "note", h.box_note);
  read_color(f, "case", h.box_case);
}

void read_handout(const Context& ctx, const Fields& f, model::HandoutLayout& h) {
  static constexpr std::string_view kFontKeys[] = {"body", "heading", "mono"};
  read_page(f, h.page);
  if (const YamlNode* fonts = f.mapping("fonts")) {
    const Fields ff(*fonts, kFontKeys, ctx.diags);
    read_font_key(ctx, ff, "body", h.body_font);
    read_font_key(ctx, ff, "heading", h.heading_font);
    read_font_key(ctx, ff, "mono", h.mono_font);
  }
  f.number("body_size", h.body_size, Bound::Positive);
  f.number("leading", h.leading, Bound::Positive);
  read_heading_sizes(f, h.heading_sizes);
  read_length(f, "paragraph_space", h.paragraph_space);
  f.flag("justify", h.justify);
  f.flag("hyphenate", h.hyphenate);
  read_handout_colors(f, h);
  read_running_text(f, "header", h.header_left, h.header_right);
  read_running_text(f, "footer", h.footer_left, h.footer_right);
  if (const YamlNode* logos = f.list("logos")) {
    h.logos.clear();
    for (const YamlNode* item : logos->items)
      if (const auto file = resolve_image(ctx, *item, "logos", Folder::Layouts)) h.logos.push_back(file->string());
  }
  f.whole("note_pages", h.note_pages, Bound::NonNegative);
  f.flag("booklet", h.booklet);
  // Two pages side by side on A4 landscape: the handout is set on A5, not shrunk.
  if (const YamlNode* b = f.get("booklet"); b && h.booklet &&
      (std::abs(h.page.width - 419.528) > 0.5 || std::abs(h.page.height - 595.276) > 0.5))
    ctx.diags.error(b->loc, "a booklet is printed two pages to an A4 sheet, so its pages must be A5 portrait",
                    "set `page: {size: A5, orientation: portrait}` in this file, with margins for A5");
}

// ---------------------------------------------------------------- certificate

constexpr Choice<model::ElementKind> kElementKinds[] = {
    {"text", model::ElementKind::Text},   {"image", model::ElementKind::Image},
    {"line", model::ElementKind::Line},   {"qr", model::ElementKind::Qr},
    {"goals", model::ElementKind::Goals}, {"signatures", model::ElementKind::Signatures}};
constexpr Choice<std::string_view> kFontStyles[] = {
    {"regular", "regular"}, {"bold", "bold"}, {"italic", "italic"}, {"bold_italic", "bold_italic"}};
constexpr Choice<model::Align> kAligns[] = {
    {"left", model::Align::Left}, {"center", model::Align::Center}, {"right", model::Align::Right}};

void read_element_text(const Fields& f, model::CertificateElement& e) {
  read_template(f, "text", e.text, {.participant = true, .page = false});
  if (const YamlNode* font = f.get("font"))
    if (const auto style = to_choice(*font, "font style", kFontStyles, f.diags())) e.font = std::string(*style);
  f.number("size", e.size, Bound::Positive);
  e.min_size = e.size;  // no shrinking unless asked for
  if (f.number("min_size", e.min_size, Bound::Positive) && e.min_size > e.size)
    f.diags().error(f.get("min_size")->loc, "'min_size' is larger than 'size'");
  f.number("leading", e.leading, Bound::Positive);
  if (const YamlNode* a = f.get("align"))
    if (const auto align = to_choice(*a, "alignment", kAligns, f.diags())) e.align = *align;
}

// Width defaults to the space up to the right margin; a QR code is square.
void read_element_box(const Fields& f, const model::PageSpec& page, model::CertificateElement& e) {
  read_length(f, "x", e.x);
  read_length(f, "y", e.y);
  if (!read_length(f, "width", e.width)) e.width = std::max(0.0, page.width - page.margins.right - e.x);
  if (!read_length(f, "height", e.height) && e.kind == model::ElementKind::Qr) e.height = e.width;
  constexpr double kSlack = 0.01;  // rounding of mm → pt
  if (e.x + e.width > page.width + kSlack || e.y + e.height > page.height + kSlack)
    f.diags().error(e.loc, "element does not fit on the page");
}

std::optional<model::CertificateElement> read_element(const Context& ctx, const YamlNode& node,
                                                      const model::PageSpec& page) {
  static constexpr std::string_view kKeys[] = {"type", "x",        "y",       "width", "height", "text",  "font",
                                               "size", "min_size", "leading", "align", "color",  "image", "line_width"};
  if (!expect_entry_mapping(node, "element", ctx.diags)) return std::nullopt;
  const Fields f(node, kKeys, ctx.diags);
  model::CertificateElement e;
  e.loc = node.loc;
  if (const YamlNode* t = f.get("type"))
    if (const auto kind = to_choice(*t, "element type", kElementKinds, ctx.diags)) e.kind = *kind;
  read_element_box(f, page, e);
  read_element_text(f, e);
  read_color(f, "color", e.color);
  if (const YamlNode* image = f.get("image"))
    if (const auto file = resolve_image(ctx, *image, "image", Folder::Layouts)) e.image = file->string();
  f.number("line_width", e.line_width, Bound::Positive);
  return e;
}

void read_certificate(const Context& ctx, const Fields& f, model::CertificateLayout& c) {
  read_page(f, c.page);
  read_font_key(ctx, f, "font", c.font);
  if (const YamlNode* list = f.list("elements"))
    for (const YamlNode* item : list->items)
      if (auto e = read_element(ctx, *item, c.page)) c.elements.push_back(std::move(*e));
}

// ---------------------------------------------------------------- attendance, brief

void read_attendance(const Context& ctx, const Fields& f, model::AttendanceLayout& a) {
  read_page(f, a.page);
  read_font_key(ctx, f, "font", a.font);
  f.number("size", a.size, Bound::Positive);
  read_length(f, "row_height", a.row_height, Bound::Positive);
  f.whole("walk_in_rows", a.walk_in_rows, Bound::NonNegative);
}

void read_brief(const Context& ctx, const Fields& f, model::BriefLayout& b) {
  read_page(f, b.page);
  read_font_key(ctx, f, "font", b.font);
  f.number("size", b.size, Bound::Positive);
  f.number("spare_share", b.spare_share, Bound::NonNegative);
  if (f.text_list("checklist", b.checklist))
    for (const YamlNode* item : f.get("checklist")->items) check_template(*item, {}, ctx.diags);
}

// Reads layouts/<name>.yaml into `layout` with `read`, when the file exists.
template <class Layout, class Read>
void read_layout_file(const Context& ctx, std::string_view name, std::span<const std::string_view> keys, Layout& layout,
                      Read read) {
  const fs::path file = ctx.layouts / fmt::format("{}.yaml", name);
  std::error_code ec;
  layout.loc = {ctx.display(file), 0, 0};
  if (!fs::exists(file, ec)) return;
  const auto doc = load_mapping_file(ctx, file, kMaxSettingsFileBytes);
  if (!doc) return;
  layout.loc = doc->root->loc;
  const Fields f(*doc->root, keys, ctx.diags);
  read(ctx, f, layout);
}

}  // namespace

model::Layouts read_layouts(const Context& ctx) {
  static constexpr std::string_view kHandoutKeys[] = {
      "page",      "fonts",  "body_size", "leading", "heading_sizes", "paragraph_space", "justify",
      "hyphenate", "colors", "header",    "footer",  "logos",         "note_pages", "booklet"};
  static constexpr std::string_view kCertificateKeys[] = {"page", "font", "elements"};
  static constexpr std::string_view kAttendanceKeys[] = {"page", "font", "size", "row_height", "walk_in_rows"};
  static constexpr std::string_view kBriefKeys[] = {"page", "font", "size", "spare_share", "checklist"};
  model::Layouts l;
  read_layout_file(ctx, "handout", kHandoutKeys, l.handout, read_handout);
  read_layout_file(ctx, "certificate", kCertificateKeys, l.certificate, read_certificate);
  read_layout_file(ctx, "attendance", kAttendanceKeys, l.attendance, read_attendance);
  read_layout_file(ctx, "brief", kBriefKeys, l.brief, read_brief);
  return l;
}

}  // namespace cp::validate
