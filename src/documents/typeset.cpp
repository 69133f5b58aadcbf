#include "documents/typeset.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "core/text.h"
#include "documents/structure.h"

namespace cp::documents {

namespace {

fonts::FontId load_style(const model::FontFamily& family, fonts::Style style, const std::string& file,
                         fonts::FontSet& set, bool required) {
  std::optional<std::string> path;
  if (!file.empty())
    path = file;
  else if (!family.family.empty())
    path = fonts::find_family(family.family, style);
  if (!path) {
    if (!required) return -1;
    throw EnvironmentError{fmt::format("font family '{}' is not installed (fontconfig found no match)", family.family)};
  }
  auto face = fonts::cached_face(*path);
  if (!face) {
    if (!required) return -1;
    throw EnvironmentError{fmt::format("cannot read font file '{}'", *path)};
  }
  return set.add(std::move(face));
}

}  // namespace

layout::FamilyFonts resolve_family(const model::FontFamily& family, fonts::FontSet& set) {
  layout::FamilyFonts f;
  f.regular = load_style(family, fonts::Style::Regular, family.regular, set, true);
  const auto b = load_style(family, fonts::Style::Bold, family.bold, set, false);
  f.bold = b >= 0 ? b : f.regular;
  const auto i = load_style(family, fonts::Style::Italic, family.italic, set, false);
  f.italic = i >= 0 ? i : f.regular;
  const auto bi = load_style(family, fonts::Style::BoldItalic, family.bold_italic, set, false);
  f.bold_italic = bi >= 0 ? bi : f.bold;
  return f;
}

layout::TextStyle make_style(fonts::FontId font, double size, model::Color color, bool hyphenate) {
  layout::TextStyle s;
  s.font = font;
  s.size = size;
  s.color = color;
  s.hyphenate = hyphenate;
  return s;
}

layout::FlowStyle single_family_style(const layout::FamilyFonts& family, model::Color text, model::Color accent) {
  layout::FlowStyle s;
  s.body = family;
  s.heading = family;
  s.mono = family;
  s.justify = false;
  s.hyphenate = false;
  s.text = text;
  s.accent = accent;
  return s;
}

std::vector<layout::Piece> text_pieces(const std::string& text, const layout::TextStyle& style) {
  std::vector<layout::Piece> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back({layout::PieceKind::Text, word, style});
    word.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    const char32_t cp = text::next_code_point(text, i);
    if (cp == ' ' || cp == '\t' || cp == '\r') {
      flush();
      if (out.empty() || out.back().kind != layout::PieceKind::Space) out.push_back({layout::PieceKind::Space, " ", style});
    } else if (cp == '\n') {
      flush();
      out.push_back({layout::PieceKind::LineBreak, "", style});
    } else if (cp == 0x00A0 || cp == 0x202F) {
      flush();
      out.push_back({layout::PieceKind::NbSpace, "\u00A0", style});
    } else {
      word.append(text, at, i - at);
    }
  }
  flush();
  while (!out.empty() && out.back().kind == layout::PieceKind::Space) out.pop_back();
  return out;
}

layout::SetLine one_line(const std::string& text, const layout::TextStyle& style_in, fonts::FontSet& fonts,
                         double max_width, Diagnostics* diags, const SourceLoc& where) {
  if (text.empty()) return {};
  layout::TextStyle style = style_in;
  layout::ParagraphSpec spec;
  double w = layout::natural_width(text, style, fonts);
  if (max_width > 0 && w > max_width) {
    style.size *= max_width / w;
    w = layout::natural_width(text, style, fonts);
  }
  const double wide = std::max(w + 1, 1.0);
  spec.width = [wide](std::size_t) { return wide; };
  spec.align = layout::LineAlign::Left;
  spec.hyphenate = false;
  auto lines = layout::set_paragraph(text_pieces(text, style), spec, fonts, nullptr, where, diags);
  layout::SetLine line = lines.empty() ? layout::SetLine{} : std::move(lines.front());
  line.width = w;
  return line;
}

double place_text(layout::Page& page, const std::string& text, const layout::TextStyle& style, double x,
                  double baseline, model::Align align, fonts::FontSet& fonts, double max_width, Diagnostics* diags,
                  const SourceLoc& where) {
  if (text.empty()) return 0;
  const layout::SetLine line = one_line(text, style, fonts, max_width, diags, where);
  const double w = line.width;
  double x0 = x;
  if (align == model::Align::Center) x0 = x - w / 2;
  if (align == model::Align::Right) x0 = x - w;
  for (auto run : line.runs) {
    run.x += x0;
    run.y = baseline;
    page.items.emplace_back(std::move(run));
  }
  for (auto link : line.links) {
    link.x += x0;
    link.y += baseline;
    page.items.emplace_back(std::move(link));
  }
  return w;
}

void add_running_texts(layout::Document& doc, std::size_t first, const RunningTexts& texts,
                       model::PlaceholderContext ctx, const layout::TextArea& area, const layout::TextStyle& style,
                       model::Color rule) {
  const int pages = static_cast<int>(doc.pages.size());
  for (std::size_t p = first; p < doc.pages.size(); ++p) {
    ctx.page = static_cast<int>(p) + 1;
    ctx.pages = pages;
    auto& page = doc.pages[p];
    const std::size_t before = page.items.size();
    const double half = area.width / 2 - 6;
    const double head = area.top() - style.size;
    place_text(page, model::fill_placeholders(texts.header_left, ctx), style, area.left, head, model::Align::Left,
               *doc.fonts, half);
    place_text(page, model::fill_placeholders(texts.header_right, ctx), style, area.left + area.width, head,
               model::Align::Right, *doc.fonts, half);
    page.items.emplace_back(layout::Line{area.left, head - 5, area.left + area.width, head - 5, 0.4, rule, false});
    const double foot = area.bottom + 2;
    place_text(page, model::fill_placeholders(texts.footer_left, ctx), style, area.left, foot, model::Align::Left,
               *doc.fonts, half);
    place_text(page, model::fill_placeholders(texts.footer_right, ctx), style, area.left + area.width, foot,
               model::Align::Right, *doc.fonts, half);
    // Headers, footers and their rule repeat on every page: pagination
    // artifacts in a tagged document, not content.
    mark_pagination(page, before);
  }
}

layout::Metadata document_metadata(const model::Project& project, std::string title, std::string subject,
                                   std::string keywords) {
  layout::Metadata meta;
  meta.title = std::move(title);
  meta.author = project.organisation;
  meta.subject = std::move(subject);
  meta.keywords = std::move(keywords);
  meta.language = "sv-SE";
  return meta;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::optional<double> shrink_to_fit(double start, double floor, double step,
                                    const std::function<bool(double size, bool last)>& attempt) {
  for (double size = start;; size -= step) {
    const bool last = size - step < floor - 1e-9;
    if (attempt(size, last)) return size;
    if (last) return std::nullopt;
  }
}

double shrink_to_fit(double start, double floor, double step, Diagnostics& diags,
                     const std::function<bool(double size, Diagnostics& try_diags, bool last)>& attempt) {
  double accepted = start;
  shrink_to_fit(start, floor, step, [&](double size, bool last) {
    accepted = size;
    if (last) {
      attempt(size, diags, true);
      return true;
    }
    Diagnostics trial;
    if (!attempt(size, trial, false)) return false;
    for (const auto& d : trial.all()) diags.add(d);  // what the accepted try found
    return true;
  });
  return accepted;
}

layout::TextArea text_area(const model::PageSpec& page) {
  layout::TextArea a;
  a.left = page.margins.left;
  a.bottom = page.margins.bottom;
  a.width = page.width - page.margins.left - page.margins.right;
  a.height = page.height - page.margins.top - page.margins.bottom;
  return a;
}

std::string swedish_date_with_weekday(const model::Date& date) {
  // Sakamoto's day-of-week method for the Gregorian calendar (0 = Sunday).
  static constexpr int offsets[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  static constexpr const char* names[] = {"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"};
  if (date.month < 1 || date.month > 12) return date.swedish_long();
  const int y = date.year - (date.month < 3 ? 1 : 0);
  const int dow = (y + y / 4 - y / 100 + y / 400 + offsets[date.month - 1] + date.day) % 7;
  return std::string(names[dow]) + " " + date.swedish_long();
}

layout::Chunk labelled_row(layout::Flow& flow, const std::string& label, const layout::TextStyle& label_style,
                           const std::vector<layout::Piece>& value, double label_width, double width,
                           double leading) {
  constexpr double kGap = 6;
  layout::Chunk row;
  auto label_lines = flow.paragraph_chunks(text_pieces(label, label_style), std::max(label_width - kGap, 10.0),
                                           layout::LineAlign::Left, leading, true, SourceLoc{});
  auto value_lines = flow.paragraph_chunks(value, std::max(width - label_width, 10.0), layout::LineAlign::Left,
                                           leading, true, SourceLoc{});
  // Align the first baselines (the label may be in a different size).
  const double label_base = label_lines.empty() ? 0 : label_lines.front().first_baseline;
  const double value_base = value_lines.empty() ? label_base : value_lines.front().first_baseline;
  const double base = std::max(label_base, value_base);
  layout::Chunk label_part = layout::stack(label_lines);
  layout::Chunk value_part = layout::stack(value_lines, label_width);
  const double lh = label_part.height + (base - label_base);
  const double vh = value_part.height + (base - value_base);
  label_part.shift(0, -(base - label_base));
  value_part.shift(0, -(base - value_base));
  for (auto& item : label_part.items) row.items.push_back(std::move(item));
  for (auto& item : value_part.items) row.items.push_back(std::move(item));
  row.height = std::max(lh, vh);
  row.first_baseline = base;
  return row;
}

layout::TextArea body_area(const layout::TextArea& area) {
  layout::TextArea body = area;
  body.height -= kHeaderBand + kFooterBand;
  body.bottom += kFooterBand;
  return body;
}

}  // namespace cp::documents
