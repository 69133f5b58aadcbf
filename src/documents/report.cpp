#include "documents/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "core/text.h"
#include "documents/structure.h"
#include "documents/typeset.h"
#include "layout/flow.h"
#include "layout/grid.h"
#include "layout/paragraph.h"

namespace cp::documents {

namespace {

using model::Color;

constexpr Color kGrid{0.85, 0.85, 0.85};
constexpr Color kLight{0.62, 0.78, 0.90};
constexpr Color kNone{0.86, 0.86, 0.86};
constexpr Color kDraft{0.98, 0.78, 0.36};
constexpr Color kAdopted{0.42, 0.71, 0.45};
constexpr Color kUnknown{1, 1, 1};
constexpr Color kWhite{1, 1, 1};

// Landscape A4: the pages go on slides as they are.
constexpr double kPageW = 841.890, kPageH = 595.276, kMargin = 40;
constexpr double kSize = 8.5;    // table and label text
constexpr double kRow = 13.5;    // table row height
// A cell's baseline above its row's bottom rule: capitals centred in the
// row (cap height about 0.72 em), so the first row clears the header rule
// as far as the last clears the rule under it.
constexpr double kCellBaseline = (kRow - 0.72 * kSize) / 2;

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}
// 0-based day of the year.
int day_of_year(const model::Date& d) {
  int n = 0;
  for (int m = 1; m < d.month; ++m) n += days_in_month(d.year, m);
  return n + d.day - 1;
}

std::string status_word(const model::Municipality& m) {
  if (!m.guideline) return "uppgift saknas";
  switch (m.guideline->status) {
    case model::GuidelineStatus::None: return "ingen riktlinje";
    case model::GuidelineStatus::Draft: return "utkast";
    case model::GuidelineStatus::Adopted: return "antagen";
  }
  return {};
}

Color status_color(const model::Municipality& m) {
  if (!m.guideline) return kUnknown;
  switch (m.guideline->status) {
    case model::GuidelineStatus::None: return kNone;
    case model::GuidelineStatus::Draft: return kDraft;
    case model::GuidelineStatus::Adopted: return kAdopted;
  }
  return kUnknown;
}

// A round upper bound for an axis: 1, 2 or 5 × 10^k steps, about 5 of them.
std::pair<double, double> axis(double max) {
  if (max <= 0) return {1, 0.2};
  const double raw = max / 5;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * mag >= raw - 1e-12) {
      step = f * mag;
      break;
    }
  return {std::ceil(max / step - 1e-9) * step, step};
}

// "2023", or "2023–2024" for a programme over several years.
std::string years_label(const std::vector<int>& years) {
  if (years.size() < 2 || years.front() == years.back()) return std::to_string(years.front());
  return fmt::format("{}\u2013{}", years.front(), years.back());
}

// One decimal, as the report's tables and charts show numbers: "4,0".
std::string decimal(double v) { return text::swedish_number(v, 1, true); }

std::string axis_label(double v, double step) {
  return text::swedish_number(v, step < 1 ? 1 : 0, true);
}

// Where each municipality sits on the tile map: (column, row), row 0 north.
// Roughly the county's geography; Vättern's southern tip at (2, 0).
const std::map<std::string, std::pair<int, int>>& tile_places() {
  static const std::map<std::string, std::pair<int, int>> places{
      {"mullsjo", {0, 0}},   {"habo", {1, 0}},     {"tranas", {3, 0}},   {"jonkoping", {1, 1}}, {"nassjo", {2, 1}},
      {"aneby", {3, 1}},     {"gnosjo", {0, 2}},   {"vaggeryd", {1, 2}}, {"savsjo", {2, 2}},    {"eksjo", {3, 2}},
      {"gislaved", {0, 3}},  {"varnamo", {1, 3}},  {"vetlanda", {3, 3}},
  };
  return places;
}

// The report's pages and their structure in `doc`: each page's title an
// H1 and its explanation a paragraph, each chart a Figure (all it draws,
// its legend too) whose alternative text states the numbers, each table a
// Table (column headers, the first cell of each row its row header); the
// footers are Pagination artifacts.
class ReportWriter {
 public:
  ReportWriter(const model::Programme& p, const ReportData& data, fonts::FontSet& fonts, layout::FamilyFonts f,
               Diagnostics& diags, layout::Document& doc)
      : p_(p), data_(data), fonts_(fonts), f_(f), diags_(diags), st_(doc) {
    years_ = data.years.empty() ? std::vector<int>{data.year} : data.years;
    for (const auto& m : p.municipalities) sorted_.push_back(&m);
    std::sort(sorted_.begin(), sorted_.end(),
              [](auto* a, auto* b) { return text::compare_swedish(a->name, b->name) < 0; });
    figures_ = municipality_figures(p, data.recorded);
    std::sort(figures_.begin(), figures_.end(), [](const auto& a, const auto& b) {
      return text::compare_swedish(a.municipality->name, b.municipality->name) < 0;
    });
  }

  std::vector<layout::Page> write() {
    for (int year : years_) calendar(year);
    participation();
    tile_map();
    evaluations();
    // Footers once the page count is known.
    const auto small = make_style(f_.regular, 7.5, kMuted);
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      const std::size_t footer = pages_[i].items.size();
      place_text(pages_[i], p_.project.title + " – programöversikt " + years_label(years_), small, kMargin,
                 kMargin - 16, model::Align::Left, fonts_, kPageW / 2);
      place_text(pages_[i], fmt::format("sida {} av {}", i + 1, pages_.size()), small, kPageW - kMargin,
                 kMargin - 16, model::Align::Right, fonts_);
      mark_pagination(pages_[i], footer);
    }
    return std::move(pages_);
  }

 private:
  // ---------------------------------------------------------- drawing
  layout::Page& page() { return pages_.back(); }

  // A new page with its title; returns the y below the title.
  double new_page(const std::string& title, const std::string& subtitle) {
    pages_.push_back(layout::Page{kPageW, kPageH, {}});
    double y = kPageH - kMargin - 16;
    std::size_t from = page().items.size();
    text(title, kMargin, y, 16, true, kAccent);
    tag_content(page().items, st_.add("H1"), from);
    y -= 15;
    from = page().items.size();
    text(subtitle, kMargin, y, 9.5, false, kMuted, model::Align::Left, kPageW - 2 * kMargin);
    tag_content(page().items, st_.add("P"), from);
    return y - 14;
  }

  // A chart drawn from here on: a Figure; its alternative text is set once
  // its numbers are known (figure_done).
  struct FigureMark {
    int node;
    std::size_t from;
  };
  FigureMark figure() { return {st_.figure("-"), page().items.size()}; }
  // Everything drawn since `f` began is the figure's.
  void figure_done(const FigureMark& f, const std::string& alt) {
    st_[f.node].alt = alt;
    for (std::size_t i = f.from; i < page().items.size(); ++i) tag(page().items[i], f.node);
  }

  double text(const std::string& s, double x, double y, double size, bool bold = false, Color color = kText,
              model::Align align = model::Align::Left, double max_width = 0) {
    return place_text(page(), s, make_style(bold ? f_.bold : f_.regular, size, color), x, y, align, fonts_, max_width,
                      &diags_);
  }
  void rect(double x, double y, double w, double h, Color fill, bool stroke = false, Color stroke_color = kText,
            double stroke_width = 0.5) {
    page().items.emplace_back(layout::Rect{x, y, w, h, true, fill, stroke, stroke_color, stroke_width});
  }
  void line(double x1, double y1, double x2, double y2, Color c, double w = 0.5, bool dashed = false) {
    page().items.emplace_back(layout::Line{x1, y1, x2, y2, w, c, dashed});
  }

  struct Column {
    std::string header;
    double width;
    model::Align align;
  };
  // A table from `top` down: the header row on a tint, a rule under each
  // row, the first cell of a body row its row's header; the last row bold
  // under a heavier rule when `total`. Returns the y under it.
  double table(double x, double top, const std::vector<Column>& cols, const std::vector<std::vector<std::string>>& rows,
               bool total) {
    layout::GridStyle gs;
    gs.left = x;
    gs.pad_x = 4;
    gs.pad_y = 0;
    gs.placement = layout::CellPlacement::Baseline;
    gs.baseline = kCellBaseline;
    gs.fill_header = true;
    gs.header_fill = layout::Rect{0, 0, 0, 0, true, Color{0.92, 0.95, 0.98}, false, kText, 0.5};
    gs.header_bottom = gs.total_top = layout::GridRule{0.6, kMuted};
    gs.row_bottom = layout::GridRule{0.3, kGrid};
    gs.row_headers = true;
    std::vector<double> widths;
    for (const auto& c : cols) {
      widths.push_back(c.width);
      gs.align.push_back(c.align == model::Align::Right    ? layout::LineAlign::Right
                         : c.align == model::Align::Center ? layout::LineAlign::Center
                                                           : layout::LineAlign::Left);
    }
    layout::Grid grid(std::move(widths), 0, gs, &st_.nodes(), 0);
    auto cells = [&](const std::vector<std::string>& texts, bool bold) {
      return [&, texts_ptr = &texts, bold](std::size_t c, int) {
        layout::GridCell cell;
        if (c >= texts_ptr->size() || (*texts_ptr)[c].empty()) return cell;
        cell.lines.push_back(one_line((*texts_ptr)[c], make_style(bold ? f_.bold : f_.regular, kSize, kText), fonts_,
                                      grid.content_width(c), &diags_));
        cell.leading = kSize;
        return cell;
      };
    };
    std::vector<std::string> headers;
    for (const auto& c : cols) headers.push_back(c.header);
    grid.header(cells(headers, true), kRow);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const bool bold = total && r + 1 == rows.size();
      grid.row(cells(rows[r], bold), kRow, bold);
    }
    double y = top;
    for (auto& row : grid.take()) {
      const double h = row.height;
      layout::place_on_page(page(), std::move(row), y);
      y -= h;
    }
    return y;
  }

  // Column widths: at least as given, and as wide as the header and every
  // cell set in bold at kSize, with padding.
  std::vector<Column> fit(std::vector<Column> cols, const std::vector<std::vector<std::string>>& rows) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      double w = layout::natural_width(cols[i].header, make_style(f_.bold, kSize, kText), fonts_);
      for (const auto& r : rows)
        if (i < r.size()) w = std::max(w, layout::natural_width(r[i], make_style(f_.bold, kSize, kText), fonts_));
      cols[i].width = std::max(cols[i].width, w + 10);
    }
    return cols;
  }

  // ---------------------------------------------------------- pages
  void calendar(int year) {
    double y = new_page(fmt::format("Kommunbesök {}", year),
                        "Besök per kommun under året: genomförda (fylld ruta) och planerade (ofylld ruta).");
    const double label_w = 95, x0 = kMargin + label_w, x1 = kPageW - kMargin;
    const int year_days = leap(year) ? 366 : 365;
    auto xday = [&](int d) { return x0 + (x1 - x0) * d / year_days; };
    // Legend, top right.
    const FigureMark fig = figure();
    const double ly = y + 14;
    double lx = x1 - 170;
    rect(lx, ly - 1, 7, 7, kAccent, true, kAccent, 0.8);
    text("genomfört besök", lx + 11, ly, kSize);
    lx += 90;
    rect(lx, ly - 1, 7, 7, kWhite, true, kAccent, 1.2);
    text("planerat besök", lx + 11, ly, kSize);
    // Months.
    const double row_h = 15;
    const double top = y - 6, bottom = top - row_h * static_cast<double>(sorted_.size()) - 4;
    int d = 0;
    for (int m = 1; m <= 12; ++m) {
      const double xa = xday(d), xb = xday(d + days_in_month(year, m));
      if (m % 2 == 0) rect(xa, bottom, xb - xa, top - bottom, Color{0.96, 0.96, 0.96});
      line(xa, top, xa, bottom, kGrid, 0.4);
      text(kMonths[m - 1], (xa + xb) / 2, top + 3, kSize, false, kMuted, model::Align::Center);
      d += days_in_month(year, m);
    }
    line(x1, top, x1, bottom, kGrid, 0.4);
    double ry = top;
    std::vector<std::vector<std::string>> rows;
    int planned_total = 0, held_total = 0;
    for (const auto* m : sorted_) {
      const double base = ry - row_h + 4.5;
      text(short_municipality_name(m->name), kMargin, base, kSize + 0.5);
      line(x0, ry - row_h / 2, x1, ry - row_h / 2, kGrid, 0.3, true);
      int planned = 0, held = 0;
      std::string dates;
      for (const auto& v : m->visits) {
        if (v.date.year != year || v.status == model::VisitStatus::Cancelled) continue;
        const bool is_held = v.status == model::VisitStatus::Held;
        (is_held ? held : planned)++;
        const double cx = xday(day_of_year(v.date)) + (x1 - x0) / year_days / 2;
        rect(cx - 3.5, ry - row_h / 2 - 3.5, 7, 7, is_held ? kAccent : kWhite, true, kAccent, is_held ? 0.8 : 1.2);
        dates += (dates.empty() ? "" : ", ") + v.date.iso() + (is_held ? "" : " (planerat)");
      }
      planned_total += planned;
      held_total += held;
      rows.push_back({short_municipality_name(m->name), std::to_string(held), std::to_string(planned), dates});
      ry -= row_h;
    }
    {
      std::string alt = fmt::format("Kalender över kommunbesöken {}, en rad per kommun. ", year);
      for (const auto& r : rows)
        alt += r[3].empty() ? fmt::format("{}: inga besök. ", r[0]) : fmt::format("{}: {}. ", r[0], r[3]);
      alt += fmt::format("Länet: {} genomförda och {} planerade besök.", held_total, planned_total);
      figure_done(fig, alt);
    }
    rows.push_back({"Länet", std::to_string(held_total), std::to_string(planned_total), ""});
    auto cols = fit({{"Kommun", 0, model::Align::Left},
                     {"Genomförda", 0, model::Align::Right},
                     {"Planerade", 0, model::Align::Right},
                     {"Datum", 0, model::Align::Left}},
                    rows);
    cols[3].width = std::max(cols[3].width, 300.0);
    table(kMargin, bottom - 14, cols, rows, true);
  }

  void participation() {
    double y = new_page("Anmälda och deltagare per kommun",
                        "Anmälda till alla besök och deltagare vid genomförda besök; till höger per 1 000 invånare.");
    const double label_w = 80, gap = 40;
    const double half = (kPageW - 2 * kMargin - gap) / 2;
    const double row_h = 15, bar = 5.5;
    const double top = y - 14;
    // Legend.
    const FigureMark fig = figure();
    double lx = kPageW - kMargin - 110;
    rect(lx, y - 8, 9, 6, kLight);
    text("anmälda", lx + 13, y - 8, kSize);
    rect(lx + 60, y - 8, 9, 6, kAccent);
    text("deltog", lx + 73, y - 8, kSize);

    double max_abs = 0, max_rel = 0;
    for (const auto& f : figures_) {
      max_abs = std::max<double>(max_abs, std::max(f.registered, f.attended));
      max_rel = std::max(max_rel, std::max(f.registered_per_1000, f.attended_per_1000));
    }
    auto chart = [&](double left, bool relative) {
      const double x0 = left + label_w, x1 = left + half - 20;
      const auto [amax, step] = axis(relative ? max_rel : max_abs);
      const double bottom = top - row_h * static_cast<double>(figures_.size());
      for (double v = 0; v <= amax + 1e-9; v += step) {
        const double x = x0 + (x1 - x0) * v / amax;
        line(x, top, x, bottom, kGrid, 0.4);
        text(axis_label(v, step), x, bottom - 9, kSize - 1, false, kMuted, model::Align::Center);
      }
      text(relative ? "per 1 000 invånare" : "antal personer", left, top + 6, kSize, true);
      double ry = top;
      for (const auto& f : figures_) {
        text(short_municipality_name(f.municipality->name), left, ry - row_h + 5, kSize);
        const double r = relative ? f.registered_per_1000 : f.registered;
        const double a = relative ? f.attended_per_1000 : f.attended;
        if (relative && r < 0) {
          text("invånarantal saknas", x0 + 2, ry - row_h + 5, kSize - 1, false, kMuted);
        } else {
          const double mid = ry - row_h / 2;
          rect(x0, mid, (x1 - x0) * r / amax, bar, kLight);
          rect(x0, mid - bar, (x1 - x0) * a / amax, bar, kAccent);
          text(relative ? decimal(r) : std::to_string(static_cast<int>(r)), x0 + (x1 - x0) * r / amax + 2,
               mid + 0.8, kSize - 2, false, kMuted);
          text(relative ? decimal(a) : std::to_string(static_cast<int>(a)), x0 + (x1 - x0) * a / amax + 2,
               mid - bar + 0.8, kSize - 2, false, kMuted);
        }
        ry -= row_h;
      }
      line(x0, top, x0, bottom, kText, 0.6);
      return bottom;
    };
    chart(kMargin, false);
    const double bottom = chart(kMargin + half + gap, true);
    {
      std::string alt = "Stapeldiagram: anmälda och deltagare per kommun, till vänster i antal, till höger per "
                        "1 000 invånare. ";
      for (const auto& f : figures_) {
        alt += fmt::format("{}: {} anmälda, {} deltog", short_municipality_name(f.municipality->name), f.registered,
                           f.attended);
        alt += f.registered_per_1000 < 0 ? " (invånarantal saknas). "
                                         : fmt::format("; {} och {} per 1 000 invånare. ",
                                                       decimal(f.registered_per_1000), decimal(f.attended_per_1000));
      }
      figure_done(fig, std::string(text::trim(alt)));
    }

    std::vector<std::vector<std::string>> rows;
    int reg = 0, att = 0;
    long pop = 0;
    for (const auto& f : figures_) {
      const auto& m = *f.municipality;
      reg += f.registered;
      att += f.attended;
      if (m.population) pop += *m.population;
      rows.push_back({short_municipality_name(m.name),
                      m.population ? text::swedish_number(static_cast<double>(*m.population)) : "–",
                      std::to_string(f.registered), std::to_string(f.attended),
                      f.registered_per_1000 < 0 ? "–" : decimal(f.registered_per_1000),
                      f.attended_per_1000 < 0 ? "–" : decimal(f.attended_per_1000)});
    }
    rows.push_back(
        {"Länet", text::swedish_number(static_cast<double>(pop)), std::to_string(reg), std::to_string(att), "", ""});
    auto cols = fit({{"Kommun", 0, model::Align::Left},
                     {"Invånare", 0, model::Align::Right},
                     {"Anmälda", 0, model::Align::Right},
                     {"Deltog", 0, model::Align::Right},
                     {"Anmälda per 1 000 inv.", 0, model::Align::Right},
                     {"Deltog per 1 000 inv.", 0, model::Align::Right}},
                    rows);
    table(kMargin, bottom - 20, cols, rows, true);
  }

  void tile_map() {
    double y = new_page("Riktlinje och kontaktpersoner",
                        "Schematisk karta över länets kommuner: färgen visar var kommunen står i arbetet med en "
                        "riktlinje, siffran i hörnet hur många kontaktpersoner som är utsedda.");
    const double tile_w = 92, tile_h = 44, gap = 5;
    const double left = kMargin;
    const double top = y - 6;
    const FigureMark fig = figure();
    int extra = 0;  // municipalities not on the map of the county: a row below
    for (const auto* m : sorted_) {
      auto it = tile_places().find(m->slug);
      const auto [c, r] = it != tile_places().end() ? it->second : std::pair<int, int>{extra++ % 4, 4};
      const double x = left + c * (tile_w + gap);
      const double ty = top - (r + 1) * (tile_h + gap);
      rect(x, ty, tile_w, tile_h, status_color(*m), true, Color{0.3, 0.3, 0.3}, 0.6);
      text(short_municipality_name(m->name), x + 5, ty + tile_h - 13, 9.5, true, kText, model::Align::Left, tile_w - 24);
      text(status_word(*m), x + 5, ty + 6, kSize - 1, false, kText, model::Align::Left, tile_w - 10);
      // The contact persons: a badge with their number (an empty, dashed one when none).
      const double bw = 14, bx = x + tile_w - bw - 3, by = ty + tile_h - bw - 3;
      if (!m->contacts.empty()) {
        rect(bx, by, bw, bw, kAccent);
        text(std::to_string(m->contacts.size()), bx + bw / 2, by + 4, kSize, true, kWhite, model::Align::Center);
      } else {
        page().items.emplace_back(layout::Rect{bx, by, bw, bw, false, kWhite, true, kText, 0.5});
      }
    }
    // Vättern, for orientation.
    const double vx = left + 2 * (tile_w + gap), vy = top - (tile_h + gap);
    rect(vx + 30, vy, 30, tile_h, Color{0.85, 0.92, 0.98});
    text("Vättern", vx + 45, vy + tile_h / 2 - 3, kSize - 1.5, false, kMuted, model::Align::Center);

    // Legend right of the map.
    double lx = left + 4 * (tile_w + gap) + 30, ly = top - 12;
    text("Riktlinje", lx, ly, kSize + 0.5, true);
    for (auto [color, word] : std::vector<std::pair<Color, std::string>>{
             {kAdopted, "antagen"}, {kDraft, "utkast"}, {kNone, "ingen riktlinje"}, {kUnknown, "uppgift saknas"}}) {
      ly -= 16;
      rect(lx, ly - 2, 14, 10, color, true, Color{0.3, 0.3, 0.3}, 0.5);
      text(word, lx + 20, ly, kSize);
    }
    ly -= 26;
    text("Kontaktpersoner", lx, ly, kSize + 0.5, true);
    ly -= 16;
    rect(lx, ly - 3, 12, 12, kAccent);
    text("2", lx + 6, ly, kSize, true, kWhite, model::Align::Center);
    text("antal utsedda", lx + 20, ly, kSize);
    ly -= 16;
    page().items.emplace_back(layout::Rect{lx, ly - 3, 12, 12, false, kWhite, true, kText, 0.5});
    text("ingen utsedd", lx + 20, ly, kSize);
    {
      std::string alt = "Schematisk karta över länets kommuner, färgade efter riktlinje, med antalet utsedda "
                        "kontaktpersoner. ";
      for (const auto* m : sorted_) {
        const auto n = m->contacts.size();
        alt += fmt::format("{}: {}, {}. ", short_municipality_name(m->name), status_word(*m),
                           n == 0   ? std::string("ingen kontaktperson")
                           : n == 1 ? std::string("1 kontaktperson")
                                    : fmt::format("{} kontaktpersoner", n));
      }
      figure_done(fig, std::string(text::trim(alt)));
    }

    // The table, right of the legend (the map is short, the page wide).
    std::vector<std::vector<std::string>> rows;
    int adopted = 0, draft = 0, with_contacts = 0, contacts = 0;
    for (const auto* m : sorted_) {
      std::string date;
      if (m->guideline && m->guideline->date) date = m->guideline->date->iso();
      if (m->guideline && m->guideline->status == model::GuidelineStatus::Adopted) ++adopted;
      if (m->guideline && m->guideline->status == model::GuidelineStatus::Draft) ++draft;
      if (!m->contacts.empty()) ++with_contacts;
      contacts += static_cast<int>(m->contacts.size());
      rows.push_back({short_municipality_name(m->name), status_word(*m), date, std::to_string(m->contacts.size())});
    }
    rows.push_back({"Länet", fmt::format("{} antagna, {} utkast", adopted, draft), "",
                    fmt::format("{} ({} kommuner)", contacts, with_contacts)});
    auto cols = fit({{"Kommun", 0, model::Align::Left},
                     {"Riktlinje", 0, model::Align::Left},
                     {"Datum", 0, model::Align::Left},
                     {"Kontaktpersoner", 0, model::Align::Right}},
                    rows);
    const double map_bottom = top - 5 * (tile_h + gap) + (extra ? 0 : tile_h + gap);
    table(kMargin, map_bottom - 10, cols, rows, true);
  }

  void evaluations() {
    double y = new_page("Trygghet före och efter utbildningen",
                        "Deltagarnas svar på utvärderingens fråga hur trygga de känner sig i att arbeta med frågorna "
                        "(1 = inte alls trygg, 5 = mycket trygg), medelvärde per besök.");
    if (data_.evaluations.empty()) {
      const std::size_t from = page().items.size();
      text("Inga utvärderingsresultat är inlagda ännu.", kMargin, y - 20, 11, false, kMuted);
      tag_content(page().items, st_.add("P"), from);
      return;
    }
    std::vector<const VisitEvaluation*> evs;
    for (const auto& e : data_.evaluations) evs.push_back(&e);
    std::map<std::string, const model::Municipality*> by_slug;
    for (const auto& m : p_.municipalities) by_slug[m.slug] = &m;
    auto name_of = [&](const VisitEvaluation& e) {
      auto it = by_slug.find(e.municipality);
      return it != by_slug.end() ? short_municipality_name(it->second->name) : e.municipality;
    };
    std::sort(evs.begin(), evs.end(), [&](auto* a, auto* b) {
      const int c = text::compare_swedish(name_of(*a), name_of(*b));
      return c != 0 ? c < 0 : a->date < b->date;
    });
    // Legend.
    const FigureMark fig = figure();
    std::string alt = "Stapeldiagram: medelvärdet av svaren före och efter utbildningen per besök, på en skala "
                      "från 1 (inte alls trygg) till 5 (mycket trygg). ";
    double lx = kPageW - kMargin - 100;
    rect(lx, y - 4, 9, 6, kLight);
    text("före", lx + 13, y - 4, kSize);
    rect(lx + 50, y - 4, 9, 6, kAccent);
    text("efter", lx + 63, y - 4, kSize);
    y -= 10;
    const double label_w = 130, x0 = kMargin + label_w, x1 = kPageW - kMargin - 30;
    const double top = y - 10;
    // The chart takes the height the table under it leaves (a row per visit,
    // one for all visits), its bars no thicker than reads well on a slide.
    const double chart_rows = static_cast<double>(evs.size() + 1);
    const double table_h = kRow * (chart_rows + 1);
    const double room = top - kMargin - 8 - 30 - table_h;  // footer, axis labels and gap
    const double row_h = std::clamp(room / chart_rows, 8.0, 26.0), bar = row_h * 0.36;
    const double bottom = top - row_h * chart_rows;
    auto xv = [&](double v) { return x0 + (x1 - x0) * (v - 0) / 5; };
    for (int v = 0; v <= 5; ++v) {
      line(xv(v), top, xv(v), bottom, kGrid, 0.4);
      text(std::to_string(v), xv(v), bottom - 9, kSize - 1, false, kMuted, model::Align::Center);
    }
    std::vector<std::vector<std::string>> rows;
    std::array<int, 5> all_before{}, all_after{};
    double ry = top;
    auto bars = [&](const std::string& label, const std::array<int, 5>& b, const std::array<int, 5>& a, bool bold) {
      const double mb = mean_answer(b), ma = mean_answer(a);
      alt += fmt::format("{}: före {}, efter {}. ", label, decimal(mb), decimal(ma));
      const double mid = ry - row_h / 2;
      text(label, kMargin, mid - 0.36 * kSize, kSize, bold, kText, model::Align::Left, label_w - 6);
      rect(x0, mid, xv(mb) - x0, bar, kLight);
      rect(x0, mid - bar, xv(ma) - x0, bar, kAccent);
      const double value_size = std::min(kSize - 1, bar * 0.95);
      text(decimal(mb), xv(mb) + 2, mid + (bar - 0.72 * value_size) / 2, value_size, false, kMuted);
      text(decimal(ma), xv(ma) + 2, mid - bar + (bar - 0.72 * value_size) / 2, value_size, false, kMuted);
      ry -= row_h;
    };
    for (const auto* e : evs) {
      for (std::size_t i = 0; i < 5; ++i) {
        all_before[i] += e->before[i];
        all_after[i] += e->after[i];
      }
      const std::string label = name_of(*e) + " " + e->date.iso();
      bars(label, e->before, e->after, false);
      rows.push_back({name_of(*e), e->date.iso(), std::to_string(answers(e->before)), decimal(mean_answer(e->before)),
                      std::to_string(answers(e->after)), decimal(mean_answer(e->after)),
                      signed_decimal(mean_answer(e->after) - mean_answer(e->before))});
    }
    bars("Alla besök", all_before, all_after, true);
    rows.push_back({"Alla besök", "", std::to_string(answers(all_before)), decimal(mean_answer(all_before)),
                    std::to_string(answers(all_after)), decimal(mean_answer(all_after)),
                    signed_decimal(mean_answer(all_after) - mean_answer(all_before))});
    line(x0, top, x0, bottom, kText, 0.6);
    figure_done(fig, std::string(text::trim(alt)));
    auto cols = fit({{"Kommun", 0, model::Align::Left},
                     {"Besök", 0, model::Align::Left},
                     {"Svar före", 0, model::Align::Right},
                     {"Medel före", 0, model::Align::Right},
                     {"Svar efter", 0, model::Align::Right},
                     {"Medel efter", 0, model::Align::Right},
                     {"Förändring", 0, model::Align::Right}},
                    rows);
    table(kMargin, bottom - 20, cols, rows, true);
  }

  static int answers(const std::array<int, 5>& c) {
    int n = 0;
    for (int v : c) n += v;
    return n;
  }
  static std::string signed_decimal(double v) {
    const std::string s = decimal(std::fabs(v));
    if (s == "0,0") return s;
    return (v < 0 ? "\u2212" : "+") + s;
  }

  std::vector<int> years_;
  const model::Programme& p_;
  const ReportData& data_;
  fonts::FontSet& fonts_;
  layout::FamilyFonts f_;
  Diagnostics& diags_;
  std::vector<const model::Municipality*> sorted_;
  std::vector<MunicipalityFigures> figures_;
  std::vector<layout::Page> pages_;
  Structure st_;
};

}  // namespace

layout::Document compose_report(const model::Programme& programme, const ReportData& data, Diagnostics& diags) {
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();
  const auto family = resolve_family(programme.layouts.handout.heading_font, *out.fonts);
  out.pages = ReportWriter(programme, data, *out.fonts, family, diags, out).write();
  const std::vector<int> years = data.years.empty() ? std::vector<int>{data.year} : data.years;
  int page = 0;
  for (int year : years) out.outline.push_back({0, fmt::format("Kommunbesök {}", year), page++, kPageH - kMargin});
  for (const char* title : {"Anmälda och deltagare per kommun", "Riktlinje och kontaktpersoner",
                            "Trygghet före och efter utbildningen"})
    out.outline.push_back({0, title, page++, kPageH - kMargin});
  out.meta = document_metadata(programme.project,
                               fmt::format("{} – programöversikt {}", programme.project.title, years_label(years)),
                               "Kommunbesök, deltagare, riktlinje och kontaktpersoner", "SPoM, programöversikt");
  return out;
}

}  // namespace cp::documents
