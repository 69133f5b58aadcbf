#include "documents/attendance.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "core/text.h"
#include "documents/name_fit.h"
#include "documents/structure.h"
#include "documents/typeset.h"
#include "layout/flow.h"
#include "layout/grid.h"
#include "layout/hyphenate.h"
#include "layout/paragraph.h"
#include "model/placeholders.h"

namespace cp::documents {

namespace {

using layout::Chunk;
using layout::Piece;
using model::Color;

constexpr Color kGrid{0.55, 0.55, 0.55};
constexpr Color kFrame{0.25, 0.25, 0.25};
constexpr Color kHeaderFill{0.92, 0.94, 0.97};
constexpr double kCellPad = 4;   // left and right
constexpr double kCellPadV = 2.5;  // above and below
constexpr double kLeadingRatio = 1.2;

// Text set into a table cell: wrapped (hyphenated when a hyphenator is
// given and the style allows it), and shrunk when the wrapped text is
// taller than the cell or a word is wider than it even split at its
// hyphenation points. Never clipped: at the smallest size the row grows
// instead.
struct CellText {
  std::vector<layout::SetLine> lines;
  layout::TextStyle style;
  double leading = 0;
  double height() const { return static_cast<double>(lines.size()) * leading; }
};

// The widest piece `word` must be set in: the whole word, or with
// hyphenation its widest fragment between break points (with its hyphen),
// breaking as late as the width allows.
double widest_fragment(const std::string& word, const layout::TextStyle& st, double width,
                       const layout::Hyphenator* hyphenator, fonts::FontSet& fonts) {
  const double whole = layout::natural_width(word, st, fonts);
  if (whole <= width || !hyphenator || !st.hyphenate) return whole;
  const auto points = hyphenator->points(word);
  if (points.empty()) return whole;
  double widest = 0;
  std::size_t start = 0;
  while (start < word.size()) {
    // The last break point whose fragment still fits; else the first.
    std::size_t end = word.size();
    if (layout::natural_width(word.substr(start), st, fonts) > width) {
      std::size_t chosen = 0;
      for (std::size_t pt : points) {
        if (pt <= start) continue;
        if (layout::natural_width(word.substr(start, pt - start) + "-", st, fonts) <= width || chosen == 0)
          chosen = pt;
        else
          break;
      }
      if (chosen) end = chosen;
    }
    const std::string piece = word.substr(start, end - start) + (end < word.size() ? "-" : "");
    widest = std::max(widest, layout::natural_width(piece, st, fonts));
    start = end;
  }
  return widest;
}

CellText fit_cell(const std::string& text, const layout::TextStyle& base, double width, double max_height,
                  double min_size, fonts::FontSet& fonts, Diagnostics* diags, const SourceLoc& where,
                  const layout::Hyphenator* hyphenator = nullptr) {
  CellText out;
  out.style = base;
  if (text.empty()) return out;
  if (!base.hyphenate) hyphenator = nullptr;
  layout::ParagraphSpec spec;
  spec.width = [width](std::size_t) { return width; };
  spec.align = layout::LineAlign::Left;
  auto set_at = [&](double size, bool hyphenate, Diagnostics* d) {
    out.style.size = size;
    out.leading = size * kLeadingRatio;
    spec.hyphenate = hyphenate;
    out.lines = layout::set_paragraph(text_pieces(text, out.style), spec, fonts, hyphenate ? hyphenator : nullptr,
                                      where, d);
  };
  // At each size: first broken at spaces only (a narrow cell hyphenates
  // more than it needs to), then hyphenated; else a size smaller.
  const auto fitted = shrink_to_fit(base.size, min_size, 0.5, [&](double size, bool) {
    layout::TextStyle st = base;
    st.size = size;
    double widest = 0, widest_hyphenated = 0;
    for (const auto& p : text_pieces(text, st)) {
      if (p.kind != layout::PieceKind::Text) continue;
      widest = std::max(widest, layout::natural_width(p.text, st, fonts));
      if (hyphenator) widest_hyphenated = std::max(widest_hyphenated, widest_fragment(p.text, st, width, hyphenator, fonts));
    }
    for (const bool hyphenate : {false, true}) {
      if (hyphenate && !hyphenator) continue;
      if ((hyphenate ? widest_hyphenated : widest) > width) continue;
      set_at(size, hyphenate, nullptr);
      if (out.height() <= max_height + 0.01) {
        set_at(size, hyphenate, diags);  // once more, reporting missing characters
        return true;
      }
    }
    return false;
  });
  if (!fitted) set_at(min_size, hyphenator != nullptr, diags);
  return out;
}

// A name in a cell: broken only between its words (never after the hyphen
// of "Nowak-Dąbrowska", which would read as a hyphenated word), by the name
// rule in its cell's form: the largest size in steps of half a point, on as
// few lines as that size allows, balanced. A name that fits at no size
// (a single word wider than the cell) falls back to fit_cell.
CellText fit_name_in_cell(const std::string& text, const layout::TextStyle& base, double width, double max_height,
                          double min_size, fonts::FontSet& fonts, Diagnostics* diags, const SourceLoc& where) {
  NameFitSpec spec{width, max_height + 0.01, base.size, min_size, kLeadingRatio, kLeadingRatio, 0};
  spec.max_lines = std::numeric_limits<std::size_t>::max();
  spec.shrink_first = false;
  spec.step = 0.5;
  spec.safety = 1;
  std::string one_line_text = text;
  std::replace(one_line_text.begin(), one_line_text.end(), '\n', ' ');
  const NameFit f = fit_name(one_line_text, spec, base, fonts);
  if (f.status != NameFitStatus::Fits)
    return f.status == NameFitStatus::Empty ? CellText{{}, base, 0}
                                            : fit_cell(text, base, width, max_height, min_size, fonts, diags, where);
  CellText out;
  out.style = base;
  out.style.size = f.size;
  out.leading = f.size * kLeadingRatio;
  layout::ParagraphSpec line_spec;
  line_spec.align = layout::LineAlign::Left;
  line_spec.hyphenate = false;
  for (const auto& line : f.lines) {
    const double wide = layout::natural_width(line, out.style, fonts) + 10;
    line_spec.width = [wide](std::size_t) { return wide; };
    auto set = layout::set_paragraph(text_pieces(line, out.style), line_spec, fonts, nullptr, where, diags);
    if (!set.empty()) out.lines.push_back(std::move(set.front()));
  }
  return out;
}

enum Col { kNr, kName, kTitle, kUnit, kSign, kCount };

// The signature column takes about a third of the table so there is room
// to sign (52 mm on A4 with the bundled margins); title and unit are wide
// enough for the common long words ("Behandlingsassistent") at 9 pt.
std::vector<double> columns(double width, double nr_width) {
  using layout::ColumnSizing;
  return layout::column_widths({{ColumnSizing::Fixed, nr_width, 0, 0},
                                {ColumnSizing::Share, 0.255, 0, 0},
                                {ColumnSizing::Share, 0.215, 0, 0},
                                {ColumnSizing::Share, 0.215, 0, 0},
                                {ColumnSizing::Rest, 0, 0, 0}},
                               width);
}

// A ruled grid with a framed header row on a tint; cells' text centred
// on its caps, the numbers right-aligned.
layout::GridStyle grid_style() {
  layout::GridStyle g;
  g.pad_x = kCellPad;
  g.pad_y = kCellPadV;
  g.placement = layout::CellPlacement::CapsCentred;
  g.fill_header = true;
  g.header_fill = layout::Rect{0, 0, 0, 0, true, kHeaderFill, false, {}, 0};
  g.header_top = g.header_bottom = g.outer = layout::GridRule{0.8, kFrame};
  g.row_bottom = g.inner = layout::GridRule{0.4, kGrid};
  g.align = {layout::LineAlign::Right, layout::LineAlign::Left, layout::LineAlign::Left, layout::LineAlign::Left,
             layout::LineAlign::Left};
  return g;
}

// A cell's lines as the grid places them.
layout::GridCell grid_cell(const CellText& t, fonts::FontSet& fonts) {
  layout::GridCell c;
  c.lines = t.lines;
  c.leading = t.leading;
  c.cap = fonts.face(t.style.font).cap_height() / 1000.0 * t.style.size;
  return c;
}

}  // namespace

std::vector<const model::Participant*> sheet_order(const model::Visit& visit) {
  struct Keyed {
    std::string key;
    const model::Participant* p;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(visit.participants.size());
  for (const auto& p : visit.participants) keyed.push_back({text::swedish_sort_key(text::trim(p.name)), &p});
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
  std::vector<const model::Participant*> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.p);
  return out;
}

SheetRows sheet_rows(const model::Visit& visit, const model::AttendanceLayout& layout) {
  SheetRows r;
  r.registered = static_cast<int>(visit.participants.size());
  r.seats = std::max(visit.seats, r.registered);
  r.total = r.seats + std::max(layout.walk_in_rows, 0);
  return r;
}

namespace {

// The sheet's parts in reading order, flowed into its pages: the heading
// block, the tables, the personal-data notice.
class SheetComposer {
 public:
  SheetComposer(const AttendanceInput& in, Diagnostics& diags, layout::Document& out, const layout::FlowStyle& style,
                double width)
      : in_(in), diags_(diags), out_(out), style_(style), width_(width), size_(in.programme->layouts.attendance.size),
        flow_(style, *out.fonts, nullptr, &diags), st_(out) {
    flow_.set_width(width);
  }

  layout::Flow& flow() { return flow_; }
  const std::vector<int>& heads() const { return heads_; }

  // What, where, when, who.
  void heading(const model::PlaceholderContext& ctx) {
    const auto& in = in_;
    const auto& visit = *in_.visit;
    const auto& style = style_;
    const double size = size_, width = width_;
    auto& fonts = *out_.fonts;
    auto& flow = flow_;
    auto& st = st_;
    auto add_lines = [this](const std::string& text, const layout::TextStyle& ts, double space_before,
                            const std::string& role) { lines(text, ts, space_before, role); };
    add_lines("Närvarolista", make_style(style.body.bold, size * 2, kText), 0, "H1");
    add_lines(in.course->title, make_style(style.body.bold, size * 1.3, kText), 2, "P");

    const auto label = make_style(style.body.bold, size, kText);
    const auto value = make_style(style.body.regular, size, kText);
    const double label_width = std::max(80.0, layout::natural_width("Utbildare", label, fonts) + 14);
    auto add_row = [&](const std::string& l, const std::string& v, double space_before) {
      if (v.empty()) return;
      Chunk row = labelled_row(flow, l, label, text_pieces(v, value), label_width, width, size * 1.4);
      tag_content(row.items, st.add("P"));
      row.space_before = space_before;
      row.break_before = false;
      add(std::move(row));
    };
    add_row("Kommun", in.municipality->name, 10);
    add_row("Datum", swedish_date_with_weekday(visit.date), 0);
    add_row("Tid", model::fill_placeholders("{{visit.time}}", ctx), 0);
    std::string place = visit.venue;
    if (!visit.address.empty()) {
      if (!place.empty()) place += ", ";
      place += visit.address;
    }
    add_row("Plats", place, 0);
    add_row("Utbildare", join(visit.trainers, ", "), 0);

    add_lines("Skriv under på raden med ditt namn. Står du inte på listan: skriv namn, befattning och enhet "
              "och e-post (intyget skickas med e-post) på en tom rad och skriv under.",
              make_style(style.body.italic, size * 0.9, kMuted), 10, "P");
  }

  // A header row, repeated on every page its rows continue on. The rows of
  // those not registered have their own: they write title and unit in one
  // cell and their e-mail address in the next, since certificates are
  // e-mailed and the register has no address for them. Each header starts
  // a table of its own.
  void tables() {
    const auto& lay = in_.programme->layouts.attendance;
    const auto& visit = *in_.visit;
    const auto& in = in_;
    const auto& style = style_;
    const double size = size_, width = width_;
    auto& fonts = *out_.fonts;
    auto& diags = diags_;
    const auto head_style = make_style(style.body.bold, size * 0.9, kAccent);
    const auto name_style = make_style(style.body.regular, size, kText);
    // Titles and units may be hyphenated ("Familjerätts-sekreterare"); names never.
    const auto small_style = make_style(style.body.regular, size * 0.9, kText, in.hyphenator != nullptr);
    const auto number_style = make_style(style.body.regular, size * 0.9, kMuted);
    const SheetRows rows = sheet_rows(visit, lay);
    const double nr_width =
        std::max(layout::natural_width("Nr", head_style, fonts),
                 layout::natural_width(std::to_string(std::max(rows.total, 10)), number_style, fonts)) +
        2 * kCellPad + 2;
    const std::vector<double> cols = columns(width, nr_width);
    // Text may come closer to the rules above and below than to the sides.
    const double inner_max = lay.row_height - 2 * kCellPadV;

    // A header row, repeated on every page its rows continue on. The rows of
    // those not registered have their own: they write title and unit in one
    // cell and their e-mail address in the next, since certificates are
    // e-mailed and the register has no address for them. Each header starts
    // a table of its own.
    std::optional<layout::Grid> grid;
    auto flush = [&] {
      if (grid)
        for (auto& c : grid->take()) add(std::move(c));
    };
    auto add_header = [&](const std::array<const char*, kCount>& titles, double space_before) {
      flush();
      grid.emplace(cols, width, grid_style(), &out_.structure, 0);
      const double hh = size * 0.9 * 1.25 + 2 * kCellPad + 2;
      grid->header(
          [&](std::size_t c, int) {
            return grid_cell(fit_cell(titles[c], head_style, grid->content_width(c), hh, size * 0.6, fonts, &diags,
                                      SourceLoc{}),
                             fonts);
          },
          hh, space_before);
      heads_.push_back(grid->head_node());
    };
    const auto order = sheet_order(visit);
    for (int r = 0; r < rows.total; ++r) {
      const model::Participant* p = r < static_cast<int>(order.size()) ? order[static_cast<std::size_t>(r)] : nullptr;
      if (r == 0 && p) add_header({"Nr", "Namn", "Befattning", "Enhet", "Underskrift"}, 8);
      if (!p && r == static_cast<int>(order.size()))
        add_header({"Nr", "Namn", "Befattning och enhet", "E-post", "Underskrift"}, r == 0 ? 8 : 10);
      // A row of five cells, empty ones too: the rows to fill in are rows.
      grid->row(
          [&](std::size_t c, int) {
            const double cw = grid->content_width(c);
            if (c == kNr)
              return grid_cell(
                  fit_cell(std::to_string(r + 1), number_style, cw, inner_max, size * 0.6, fonts, nullptr, SourceLoc{}),
                  fonts);
            if (!p || c == kSign) return layout::GridCell{};
            const SourceLoc& where = p->loc;
            if (c == kName)
              return grid_cell(
                  fit_name_in_cell(std::string(text::trim(p->name)), name_style, cw, inner_max, size * 0.7, fonts, &diags,
                                   where),
                  fonts);
            return grid_cell(fit_cell(c == kTitle ? p->title : p->unit, small_style, cw, inner_max, size * 0.65, fonts,
                                      &diags, where, in.hyphenator),
                             fonts);
          },
          lay.row_height);
    }
    flush();
  }

  // The personal-data notice, kept together at the end.
  void privacy_notice() {
    const auto& project = in_.programme->project;
    const auto& style = style_;
    const double size = size_, width = width_;
    auto& flow = flow_;
    auto& st = st_;
    if (!project.privacy_notice.empty()) {
      const auto note_head = make_style(style.body.bold, size * 0.8, kMuted);
      const auto note_body = make_style(style.body.regular, size * 0.8, kMuted);
      auto lines = flow.paragraph_chunks(text_pieces("Personuppgifter", note_head), width, layout::LineAlign::Left,
                                         size * 0.8 * 1.35, true, SourceLoc{});
      const int heading = st.add("H2");
      for (auto& l : lines) tag_content(l.items, heading);
      auto text_lines = flow.paragraph_chunks(text_pieces(project.privacy_notice, note_body), width,
                                              layout::LineAlign::Left, size * 0.8 * 1.35, true, project.loc);
      const int notice = st.add("P");
      for (auto& l : text_lines) tag_content(l.items, notice);
      for (auto& l : text_lines) lines.push_back(std::move(l));
      for (std::size_t i = 0; i < lines.size(); ++i) {
        lines[i].break_before = i == 0;
        if (i == 0) lines[i].space_before = 14;
        add(std::move(lines[i]));
      }
    }
  }

 private:
  void add(Chunk c) { flow_.add_chunk(std::move(c)); }

  // A paragraph or heading of `role`.
  void lines(const std::string& text, const layout::TextStyle& ts, double space_before, const std::string& role) {
    auto lines = flow_.paragraph_chunks(text_pieces(text, ts), width_, layout::LineAlign::Left, ts.size * 1.3, true,
                                        SourceLoc{});
    const int node = st_.add(role);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i == 0) lines[i].space_before = space_before;
      lines[i].break_before = false;
      tag_content(lines[i].items, node);
      add(std::move(lines[i]));
    }
  }

  const AttendanceInput& in_;
  Diagnostics& diags_;
  layout::Document& out_;
  layout::FlowStyle style_;
  double width_, size_;
  layout::Flow flow_;
  Structure st_;
  std::vector<int> heads_;
};

}  // namespace

layout::Document compose_attendance(const AttendanceInput& in, Diagnostics& diags) {
  const auto& lay = in.programme->layouts.attendance;
  const auto& project = in.programme->project;
  const auto& visit = *in.visit;
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();

  layout::FlowStyle style = single_family_style(resolve_family(lay.font, *out.fonts));
  style.body_size = lay.size;
  style.leading = lay.size * 1.45;
  const layout::TextArea area = text_area(lay.page);
  const layout::TextArea body = body_area(area);

  SheetComposer sheet(in, diags, out, style, body.width);
  model::PlaceholderContext ctx{&project, in.course, in.municipality, in.visit, nullptr, 0, 0};
  sheet.heading(ctx);
  sheet.tables();
  sheet.privacy_notice();

  const layout::Flowed flowed = sheet.flow().paginate(body, lay.page.width, lay.page.height);
  out.pages = flowed.pages;
  if (out.pages.empty()) out.pages.push_back(layout::Page{lay.page.width, lay.page.height, {}});
  // The header row drawn again on a later page is not read again.
  repeats_as_artifacts(out, sheet.heads());

  RunningTexts texts{"{{project.title}}", "{{municipality.name}}, {{visit.date}}",
                     "Närvarolista – {{course.title}}", "sida {{page}} av {{pages}}"};
  add_running_texts(out, 0, texts, ctx, area, make_style(style.body.regular, 8, Color{0.35, 0.35, 0.35}),
                    Color{0.7, 0.7, 0.7});

  out.meta = document_metadata(
      project, fmt::format("Närvarolista – {} – {}, {}", in.course->title, in.municipality->name,
                           visit.date.swedish_long()),
      project.title, "SPoM, utbildning, närvarolista");
  return out;
}

}  // namespace cp::documents
