#include "documents/brief.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "core/text.h"
#include "documents/attendance.h"
#include "documents/structure.h"
#include "documents/typeset.h"
#include "layout/flow.h"
#include "layout/paragraph.h"
#include "model/placeholders.h"

namespace cp::documents {

namespace {

using layout::Chunk;
using layout::Piece;
using model::Color;

constexpr Color kRule{0.7, 0.7, 0.7};

// "10 %" with a no-break space, rounded to whole per cent unless that hides
// a fraction ("12,5 %").
std::string percent(double share) {
  const double p = share * 100;
  const bool whole = std::fabs(p - std::round(p)) < 1e-6;
  return text::swedish_number(p, whole ? 0 : 1, true) + "\u00A0%";
}

// Builds the page's chunks at one type size, and its structure in `doc`;
// compose_brief makes the size smaller until everything fits on one page.
// Headings are H1 (the brief) and H2 (its sections), details paragraphs,
// the print list a table, the checklist a list.
class BriefWriter {
 public:
  BriefWriter(const BriefInput& in, layout::Flow& flow, const layout::FlowStyle& style, double size, double width,
              layout::Document& doc)
      : in_(in), flow_(flow), style_(style), size_(size), width_(width), st_(doc) {}

  void write() {
    const auto& p = in_.programme->project;
    const auto& m = *in_.municipality;
    const auto& v = *in_.visit;
    lines("Utbildarens brief", make_style(style_.body.bold, size_ * 2, kText), 0, "H1");
    lines(in_.course->title + " – " + m.name, make_style(style_.body.bold, size_ * 1.3, kText), 2, "P");

    section("När och var");
    model::PlaceholderContext ctx{&p, in_.course, &m, &v, nullptr, 0, 0};
    row("Datum", swedish_date_with_weekday(v.date));
    row("Tid", model::fill_placeholders("{{visit.time}}", ctx));
    row("Lokal", v.venue);
    row("Adress", v.address);
    row("Utbildare", join(v.trainers, ", "));

    section(m.contacts.size() == 1 ? "Kontaktperson i kommunen" : "Kontaktpersoner i kommunen");
    if (m.contacts.empty())
      para(text_pieces("Ingen kontaktperson är angiven. Kontakta samordnaren.", body()), 0);
    // Two contacts a row, side by side.
    const double gap = size_ * 2;
    const double col = (width_ - gap) / 2;
    for (std::size_t i = 0; i < m.contacts.size(); i += 2) {
      // Left, then right: each contact a paragraph.
      Chunk row = contact(m.contacts[i], col);
      if (i + 1 < m.contacts.size()) {
        Chunk right = contact(m.contacts[i + 1], col);
        right.shift(col + gap, 0);
        for (auto& item : right.items) row.items.push_back(std::move(item));
        row.height = std::max(row.height, right.height);
      }
      row.space_before = i == 0 ? 0 : size_ * 0.6;
      add(std::move(row));
    }

    const PrintList pl = print_list(in_);
    section("Deltagare");
    row("Anmälda", std::to_string(pl.registered));
    const SheetRows rows = sheet_rows(v, in_.programme->layouts.attendance);
    row("Närvarolista", fmt::format("{} platser och {} tomma rader för ej anmälda", rows.seats, rows.total - rows.seats));
    if (v.status == model::VisitStatus::Held)
      row("Närvarande", fmt::format("{} av {} (besöket är genomfört)", pl.attended, pl.registered));

    section("Att skriva ut");
    const double spare = in_.programme->layouts.brief.spare_share;
    print_table_ = st_.add("Table");
    count_row(fmt::format("Handouts ({} anmälda + {} reserv)", pl.registered, percent(spare)),
              fmt::format("{}\u00A0ex.", pl.handouts));
    count_row("Utvärderingsformulär, ett per handout", fmt::format("{}\u00A0ex.", pl.evaluation_forms));
    count_row("Närvarolista, ett exemplar",
              fmt::format("{}\u00A0{}", pl.attendance_pages, pl.attendance_pages == 1 ? "sida" : "sidor"));
    count_row(v.status == model::VisitStatus::Held ? "Kursintyg till dem som var närvarande"
                                                   : "Kursintyg, ett per anmäld",
              fmt::format("{}\u00A0st.", pl.certificates));

    const auto& checklist = in_.programme->layouts.brief.checklist;
    if (!checklist.empty()) {
      section("Checklista");
      checklist_ = st_.add("L");
      for (const auto& item : checklist) tick(item);
    }

    const auto& co = p.coordinator;
    if (!co.name.empty()) {
      std::vector<Piece> ps = text_pieces("Frågor om programmet:", make_style(style_.body.bold, size_ * 0.9, kMuted));
      ps.push_back({layout::PieceKind::Space, " ", body()});
      std::string who = co.name;
      if (!co.title.empty()) who += ", " + co.title;
      if (!co.phone.empty()) who += ", tfn\u00A0" + co.phone;
      append(ps, text_pieces(who, make_style(style_.body.regular, size_ * 0.9, kMuted)));
      if (!co.email.empty()) {
        append(ps, text_pieces(",", make_style(style_.body.regular, size_ * 0.9, kMuted)));
        ps.push_back({layout::PieceKind::Space, " ", body()});
        append(ps, email(co.email, size_ * 0.9));
      }
      para(ps, size_ * 2);
    }
  }

 private:
  layout::TextStyle body() const { return make_style(style_.body.regular, size_, kText); }
  double leading() const { return size_ * 1.4; }
  double label_width() const { return size_ * 9; }

  static void append(std::vector<Piece>& to, std::vector<Piece> more) {
    for (auto& p : more) to.push_back(std::move(p));
  }

  std::vector<Piece> email(const std::string& address, double size) const {
    auto st = make_style(style_.body.regular, size, kAccent);
    st.link = "mailto:" + address;
    return text_pieces(address, st);
  }

  // Chunks may start a new page only between items, never right after a
  // section heading (only matters when the brief runs over).
  void add(Chunk c, bool keep_with_next = false) {
    c.break_before = !keep_next_ && c.break_before;
    keep_next_ = keep_with_next;
    flow_.add_chunk(std::move(c));
  }

  // The runs and links of `c` become content of `node` and its Link elements.
  void tag(Chunk& c, int node) {
    tag_content(c.items, node);
    tag_links(c.items, st_, node);
  }

  void lines(const std::string& text, const layout::TextStyle& st, double space_before, const std::string& role) {
    auto cs = flow_.paragraph_chunks(text_pieces(text, st), width_, layout::LineAlign::Left, st.size * 1.3, true,
                                     SourceLoc{});
    if (!cs.empty()) {
      cs.front().space_before = space_before;
      cs.front().break_before = true;
    }
    const int node = st_.add(role);
    for (auto& c : cs) {
      tag(c, node);
      add(std::move(c));
    }
  }

  void para(const std::vector<Piece>& ps, double space_before) {
    auto cs = flow_.paragraph_chunks(ps, width_, layout::LineAlign::Left, leading(), true, SourceLoc{});
    if (!cs.empty()) {
      cs.front().space_before = space_before;
      cs.front().break_before = true;
    }
    const int node = st_.add("P");
    for (auto& c : cs) {
      tag(c, node);
      add(std::move(c));
    }
  }

  // A section heading with a hairline under it.
  void section(const std::string& title) {
    const auto st = make_style(style_.body.bold, size_ * 1.15, kAccent);
    auto cs = flow_.paragraph_chunks(text_pieces(title, st), width_, layout::LineAlign::Left, st.size * 1.3, true,
                                     SourceLoc{});
    if (cs.empty()) return;
    const int heading = st_.add("H2");
    for (auto& c : cs) tag(c, heading);
    Chunk& last = cs.back();
    last.height += 4;
    last.items.emplace_back(layout::Line{0, -last.height + 1.5, width_, -last.height + 1.5, 0.5, kRule, false});
    last.height += 3;
    cs.front().space_before = size_ * 1.4;
    cs.front().break_before = true;
    for (std::size_t i = 0; i < cs.size(); ++i) add(std::move(cs[i]), i + 1 == cs.size());
  }

  void row(const std::string& label, const std::string& value) {
    if (value.empty()) return;
    Chunk c = labelled_row(flow_, label, make_style(style_.body.bold, size_, kText), text_pieces(value, body()),
                           label_width(), width_, leading());
    tag(c, st_.add("P"));
    c.space_before = 1;
    add(std::move(c));
  }

  // A contact person: name and role, then phone and e-mail, in `width`.
  Chunk contact(const model::Contact& c, double width) {
    std::vector<Piece> ps = text_pieces(c.name, make_style(style_.body.bold, size_, kText));
    if (!c.role.empty()) {
      ps.push_back({layout::PieceKind::LineBreak, "", body()});
      append(ps, text_pieces(c.role, body()));
    }
    if (!c.phone.empty()) {
      ps.push_back({layout::PieceKind::LineBreak, "", body()});
      append(ps, text_pieces("tfn\u00A0" + c.phone, body()));
    }
    if (!c.email.empty()) {
      ps.push_back({layout::PieceKind::LineBreak, "", body()});
      append(ps, email(c.email, size_));
    }
    Chunk out = layout::stack(flow_.paragraph_chunks(ps, width, layout::LineAlign::Left, leading(), true, SourceLoc{}));
    tag(out, st_.add("P"));
    return out;
  }

  // A line of the print list: what, and how many in a right-aligned column;
  // a row of the print table, what it is the row's header.
  void count_row(const std::string& what, const std::string& count) {
    const double count_w = size_ * 7;
    auto cs = flow_.paragraph_chunks(text_pieces(what, body()), width_ - count_w - 10, layout::LineAlign::Left,
                                     leading(), true, SourceLoc{});
    if (cs.empty()) return;
    Chunk c = layout::stack(cs);
    const int tr = st_.add("TR", print_table_);
    tag(c, st_.header_cell("Row", tr));
    c.height += 2;
    const auto bold = make_style(style_.body.bold, size_, kText);
    layout::Page scratch;
    place_text(scratch, count, bold, width_, -cs.front().first_baseline, model::Align::Right, flow_.fonts());
    tag_content(scratch.items, st_.add("TD", tr));
    for (auto& item : scratch.items) c.items.push_back(std::move(item));
    c.items.emplace_back(layout::Line{0, -c.height, width_, -c.height, 0.3, kRule, true});
    c.space_before = 1;
    add(std::move(c));
  }

  // A checklist item: an empty square to tick, then the text.
  void tick(const std::string& text) {
    const double box = size_ * 0.95, indent = size_ * 2;
    auto cs = flow_.paragraph_chunks(text_pieces(text, body()), width_ - indent, layout::LineAlign::Left,
                                     leading(), true, SourceLoc{});
    if (cs.empty()) return;
    Chunk c = layout::stack(cs, indent);
    // The square to tick is drawn, a Layout artifact; the item is its text.
    tag(c, st_.add("LBody", st_.add("LI", checklist_)));
    c.space_before = size_ * 0.45;
    const double base = cs.front().first_baseline;
    const double cap = flow_.fonts().face(style_.body.regular).cap_height() / 1000.0 * size_;
    // The square sits on the baseline and is a little taller than the caps.
    const double bottom = -base - (box - cap) / 2;
    c.items.emplace_back(layout::Rect{0, bottom, box, box, true, Color{1, 1, 1}, true, Color{0.15, 0.15, 0.15}, 0.8});
    add(std::move(c));
  }

  const BriefInput& in_;
  bool keep_next_ = false;
  layout::Flow& flow_;
  const layout::FlowStyle& style_;
  double size_;
  double width_;
  Structure st_;
  int print_table_ = -1;
  int checklist_ = -1;
};

}  // namespace

namespace {

// "WHAT – course – municipality, date", by the project's organisation.
layout::Metadata visit_metadata(const BriefInput& in, const char* what, const char* keyword) {
  return document_metadata(in.programme->project,
                           fmt::format("{} – {} – {}, {}", what, in.course->title, in.municipality->name,
                                       in.visit->date.swedish_long()),
                           in.programme->project.title, fmt::format("SPoM, utbildning, {}", keyword));
}

}  // namespace

PrintList print_list(const BriefInput& in) {
  const auto& v = *in.visit;
  PrintList pl;
  pl.registered = static_cast<int>(v.participants.size());
  for (const auto& p : v.participants)
    if (p.attended.value_or(false)) ++pl.attended;
  const double spare = std::max(0.0, in.programme->layouts.brief.spare_share);
  // 20 × 1.1 is 22.000000000000004 in binary: round away that dust before
  // rounding up, or one handout too many is printed.
  const double exact = pl.registered * (1 + spare);
  pl.handouts = static_cast<int>(std::ceil(exact - 1e-9));
  pl.evaluation_forms = pl.handouts;
  pl.attendance_pages = in.attendance_pages;
  pl.certificates = static_cast<int>(v.certified().size());
  return pl;
}

layout::Document compose_brief(const BriefInput& in, Diagnostics& diags) {
  const auto& lay = in.programme->layouts.brief;
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();
  auto& fonts = *out.fonts;

  layout::FlowStyle style = single_family_style(resolve_family(lay.font, fonts));

  const layout::TextArea area = text_area(lay.page);
  const layout::TextArea body = body_area(area);

  // One page: the type is made smaller in steps until the contents fit.
  // The last try is the one accepted: its structure is the brief's.
  layout::Flowed flowed;
  shrink_to_fit(lay.size, std::max(6.0, lay.size * 0.6), 0.25, diags, [&](double size, Diagnostics& d, bool) {
    style.body_size = size;
    style.leading = size * 1.4;
    layout::Flow flow(style, fonts, nullptr, &d);
    flow.set_width(body.width);
    out.structure.clear();
    BriefWriter(in, flow, style, size, body.width, out).write();
    flowed = flow.paginate(body, lay.page.width, lay.page.height);
    return flowed.pages.size() <= 1;
  });
  if (flowed.pages.size() > 1)
    diags.warning(lay.loc, fmt::format("the trainer brief for {} {} needs {} pages", in.municipality->name,
                                       in.visit->date.iso(), flowed.pages.size()));
  out.pages = flowed.pages;
  if (out.pages.empty()) out.pages.push_back(layout::Page{lay.page.width, lay.page.height, {}});

  model::PlaceholderContext ctx{&in.programme->project, in.course, in.municipality, in.visit, nullptr, 0, 0};
  RunningTexts texts{"{{project.title}}", "{{municipality.name}}", "Utbildarens brief – {{visit.date}}",
                     out.pages.size() > 1 ? "sida {{page}} av {{pages}}" : ""};
  add_running_texts(out, 0, texts, ctx, area, make_style(style.body.regular, 8, Color{0.35, 0.35, 0.35}),
                    Color{0.7, 0.7, 0.7});

  out.meta = visit_metadata(in, "Utbildarens brief", "brief");
  return out;
}

layout::Metadata print_metadata(const BriefInput& in) { return visit_metadata(in, "Allt att skriva ut", "utskrift"); }

}  // namespace cp::documents
