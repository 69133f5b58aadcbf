#include "documents/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "documents/structure.h"
#include "documents/typeset.h"
#include "layout/flow.h"
#include "layout/paragraph.h"

namespace cp::documents {

namespace {

using layout::Chunk;
using model::Color;

constexpr Color kBox{0.15, 0.15, 0.15};
constexpr Color kRule{0.6, 0.6, 0.6};
constexpr int kScale = 5;

// Lines of wrapped text stacked into one chunk (y from its top, downwards
// negative), first_baseline set.
Chunk text_block(layout::Flow& flow, const std::string& text, const layout::TextStyle& style, double width,
                 double leading) {
  return layout::stack(
      flow.paragraph_chunks(text_pieces(text, style), width, layout::LineAlign::Left, leading, true, SourceLoc{}));
}

// Writes the page top-down at one type size, and its structure into
// `doc`: H1 and H2 headings, paragraphs, each rating grid a table (the
// scale's numbers its column headers, the statements its row headers),
// each open question a paragraph; boxes and lines are Layout artifacts.
class FormWriter {
 public:
  FormWriter(const EvaluationInput& in, layout::Flow& flow, const layout::FlowStyle& st, double size,
             const layout::TextArea& area, layout::Page& page, layout::Document& doc)
      : in_(in), flow_(flow), st_(st), size_(size), area_(area), page_(page), y_(area.top()), s_(doc) {}

  // Everything but the writing lines; returns the height left for them.
  void write_fixed() {
    const auto& m = *in_.municipality;
    const auto& v = *in_.visit;
    block("Utvärdering", make_style(st_.heading.bold, size_ * 2, st_.text), 0, area_.width, "H1");
    block(in_.course->title, make_style(st_.heading.bold, size_ * 1.15, st_.accent), size_ * 0.3, area_.width);
    block(m.name + ", " + swedish_date_with_weekday(v.date), make_style(st_.heading.regular, size_, st_.text),
          size_ * 0.2, area_.width);
    y_ -= size_ * 0.5;
    page_.items.emplace_back(layout::Line{area_.left, y_, area_.left + area_.width, y_, 0.6, st_.accent, false});
    y_ -= size_ * 0.4;
    block("Formuläret är anonymt. Kryssa i en ruta per rad. Lämna formuläret till utbildaren innan du går.",
          make_style(st_.body.italic, size_ * 0.9, kMuted), size_ * 0.3, area_.width);

    // Statements, each with five boxes on the right.
    if (!in_.course->evaluation.statements.empty()) {
      heading("Påståenden");
      scale_header("stämmer inte alls", "stämmer helt");
    }
    int n = 0;
    for (const auto& s : in_.course->evaluation.statements) {
      ++n;
      rated_row(fmt::format("{}. {}", n, s), n > 1);
    }
    // The programme's own measure: confidence before and after.
    heading("Trygghet före och efter utbildningen");
    block(kConfidenceQuestion, make_style(st_.body.regular, size_, st_.text), size_ * 0.2, text_width());
    scale_header("inte alls trygg", "mycket trygg");
    rated_row(kConfidenceBefore, false);
    rated_row(kConfidenceAfter, true);
    if (!in_.course->evaluation.questions.empty()) heading("Frågor");
  }

  // The open questions, each followed by `lines` ruled lines.
  void write_questions(int lines) {
    int n = 0;
    for (const auto& q : in_.course->evaluation.questions) {
      ++n;
      block(fmt::format("{}. {}", n, q), make_style(st_.body.bold, size_, st_.text), n > 1 ? size_ * 0.6 : 0,
            area_.width);  // the lines to write on are Layout artifacts
      for (int i = 0; i < lines; ++i) {
        y_ -= line_spacing();
        page_.items.emplace_back(layout::Line{area_.left, y_, area_.left + area_.width, y_, 0.4, kRule, false});
      }
    }
  }

  double line_spacing() const { return std::max(18.0, size_ * 2.1); }
  // Height of one question with `lines` writing lines (estimated from the
  // question's text).
  double question_height(const std::string& q, int lines) {
    const auto c = measure(q, make_style(st_.body.bold, size_, st_.text), area_.width);
    return c + size_ * 0.6 + lines * line_spacing();
  }
  double y() const { return y_; }
  double measure(const std::string& text, const layout::TextStyle& style, double width) {
    return text_block(flow_, text, style, width, style.size * 1.3).height;
  }

 private:
  double box() const { return size_ * 1.25; }
  double column() const { return size_ * 2.6; }  // one scale column
  double scale_width() const { return column() * kScale; }
  double text_width() const { return area_.width - scale_width() - size_; }
  double scale_left() const { return area_.left + area_.width - scale_width(); }

  void block(const std::string& text, const layout::TextStyle& style, double space_before, double width,
             const std::string& role = "P") {
    y_ -= space_before;
    Chunk c = text_block(flow_, text, style, width, style.size * 1.3);
    tag_content(c.items, s_.add(role));
    c.shift(area_.left, y_);
    for (auto& item : c.items) page_.items.push_back(std::move(item));
    y_ -= c.height;
  }

  void heading(const std::string& text) {
    block(text, make_style(st_.heading.bold, size_ * 1.2, st_.accent), size_ * 1.1, area_.width, "H2");
  }

  // Column numbers 1–5 and the meaning of the ends: the header row of a new
  // table, "1 = stämmer inte alls, 5 = stämmer helt" heading the column of
  // statements.
  void scale_header(const std::string& low, const std::string& high) {
    y_ -= size_ * 0.4;
    const auto num = make_style(st_.heading.bold, size_ * 0.9, st_.text);
    const auto small = make_style(st_.heading.regular, size_ * 0.75, kMuted);
    const double base = y_ - size_ * 0.9;
    const int table = s_.add("Table");
    const int tr = s_.add("TR", s_.add("THead", table));
    std::size_t first = page_.items.size();
    place_text(page_, "1 = " + low + ", 5 = " + high, small, scale_left() - size_, base, model::Align::Right,
               flow_.fonts(), text_width());
    tag_content(page_.items, s_.header_cell("Column", tr), first);
    for (int i = 0; i < kScale; ++i) {
      first = page_.items.size();
      place_text(page_, std::to_string(i + 1), num, scale_left() + column() * (i + 0.5), base, model::Align::Center,
                 flow_.fonts());
      tag_content(page_.items, s_.header_cell("Column", tr), first);
    }
    body_ = s_.add("TBody", table);
    y_ = base - size_ * 0.5;
  }

  // A row of the current table: the statement heads it (scope Row), then
  // one empty cell per box to tick.
  void rated_row(const std::string& text, bool rule_above) {
    const auto style = make_style(st_.body.regular, size_, st_.text);
    const double pad = size_ * 0.45;
    if (rule_above)
      page_.items.emplace_back(layout::Line{area_.left, y_, area_.left + area_.width, y_, 0.3, kRule, true});
    y_ -= pad;
    Chunk c = text_block(flow_, text, style, text_width(), size_ * 1.3);
    const int tr = s_.add("TR", body_);
    tag_content(c.items, s_.header_cell("Row", tr));
    for (int i = 0; i < kScale; ++i) s_.add("TD", tr);
    c.shift(area_.left, y_);
    for (auto& item : c.items) page_.items.push_back(std::move(item));
    // The boxes sit on the first line, centred in their columns.
    const double first_base = y_ - c.first_baseline;
    const double b = box();
    for (int i = 0; i < kScale; ++i) {
      const double x = scale_left() + column() * (i + 0.5) - b / 2;
      page_.items.emplace_back(
          layout::Rect{x, first_base - size_ * 0.25, b, b, true, Color{1, 1, 1}, true, kBox, 0.8});
    }
    y_ -= std::max(c.height, b + size_ * 0.1) + pad;
  }

  const EvaluationInput& in_;
  layout::Flow& flow_;
  const layout::FlowStyle& st_;
  double size_;
  layout::TextArea area_;
  layout::Page& page_;
  double y_;
  Structure s_;
  int body_ = -1;  // the TBody rated rows go into
};

}  // namespace

layout::Document compose_evaluation(const EvaluationInput& in, Diagnostics& diags) {
  const auto& lay = in.programme->layouts.handout;
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();
  auto& fonts = *out.fonts;

  // The handout's families and colours: headings in its heading family.
  layout::FlowStyle style = single_family_style(resolve_family(lay.body_font, fonts), lay.text_color, lay.accent);
  style.heading = resolve_family(lay.heading_font, fonts);

  const layout::TextArea area = text_area(lay.page);
  layout::TextArea body = area;
  body.height -= kFooterBand;
  body.bottom += kFooterBand;

  const auto& questions = in.course->evaluation.questions;
  constexpr int kMinLines = 3, kMaxLines = 8;
  layout::Page page{lay.page.width, lay.page.height, {}};
  bool overfull = false;
  shrink_to_fit(std::min(lay.body_size, 10.5), 6.5, 0.25, diags, [&](double size, Diagnostics& d, bool last) {
    style.body_size = size;
    style.leading = size * 1.3;
    layout::Flow flow(style, fonts, nullptr, &d);
    flow.set_width(body.width);
    page = layout::Page{lay.page.width, lay.page.height, {}};
    out.structure.clear();
    FormWriter w(in, flow, style, size, body, page, out);
    w.write_fixed();
    // As many writing lines per question as the rest of the page holds.
    const double left = w.y() - body.bottom;
    int lines = kMaxLines;
    auto needed = [&](int n) {
      double h = 0;
      for (const auto& q : questions) h += w.question_height(q, n);
      return h;
    };
    while (lines > kMinLines && needed(lines) > left) --lines;
    const bool fits = needed(lines) <= left;
    if (fits || last) {
      w.write_questions(lines);
      overfull = !fits;
    }
    return fits;
  });
  if (overfull)
    diags.warning(in.course->loc,
                  fmt::format("the evaluation form of course '{}' does not fit on one page", in.course->id));
  // The footer: the programme and where the form goes.
  const auto small = make_style(style.heading.regular, 8, Color{0.35, 0.35, 0.35});
  const std::size_t footer = page.items.size();
  place_text(page, in.programme->project.title, small, area.left, area.bottom + 2, model::Align::Left, fonts,
             area.width / 2 - 6);
  place_text(page, "Tack för dina svar!", small, area.left + area.width, area.bottom + 2, model::Align::Right, fonts,
             area.width / 2 - 6);
  mark_pagination(page, footer);
  out.pages.push_back(std::move(page));

  out.meta = document_metadata(in.programme->project,
                               fmt::format("Utvärdering – {} – {}, {}", in.course->title, in.municipality->name,
                                           in.visit->date.swedish_long()),
                               in.programme->project.title, "SPoM, utbildning, utvärdering");
  return out;
}

}  // namespace cp::documents
