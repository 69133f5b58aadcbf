#include "documents/certificate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "core/text.h"
#include "documents/attendance.h"
#include "documents/name_fit.h"
#include "documents/structure.h"
#include "documents/typeset.h"
#include "documents/verification.h"
#include "layout/flow.h"
#include "layout/paragraph.h"
#include "model/placeholders.h"

namespace cp::documents {

namespace {

using model::CertificateElement;
using model::Color;
using model::ElementKind;

// An element's box in PDF coordinates (origin bottom-left, y up).
struct Box {
  double left = 0, bottom = 0, width = 0, height = 0;
  double top() const { return bottom + height; }
};

// What one element draws and the structure elements it makes: the parents
// of `nodes` index `nodes` (-1: the certificate's own element), the nodes of
// page's items index `nodes` (-1: an artifact). A certificate's page is its elements'
// fragments in layout order, which is also the order they are read in.
struct Fragment {
  std::vector<layout::StructNode> nodes;
  layout::Page page;  // only its items are used

  int add(const std::string& role, int parent = -1) {
    layout::StructNode n;
    n.role = role;
    n.parent = parent;
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size()) - 1;
  }
  // Items [from, end) showing text or an image become content of `node`.
  void tag_from(std::size_t from, int node) { tag_content(page.items, node, from); }
};

// Appends a fragment to `page`, its elements under `parent`.
void append(const Fragment& f, layout::Page& page, Structure& s, int parent) {
  std::vector<int> map(f.nodes.size(), -1);
  for (std::size_t k = 0; k < f.nodes.size(); ++k) {
    const int under = f.nodes[k].parent < 0 ? parent : map[static_cast<std::size_t>(f.nodes[k].parent)];
    map[k] = s.add(f.nodes[k].role, under);
    layout::StructNode& n = s[map[k]];
    const int p = n.parent;
    n = f.nodes[k];
    n.parent = p;
  }
  for (layout::Item item : f.page.items) {
    const int n = node_of(item);
    if (n >= 0) tag(item, map[static_cast<std::size_t>(n)]);
    page.items.push_back(std::move(item));
  }
}

Box box_of(const CertificateElement& el, const model::PageSpec& page) {
  return {el.x, page.height - el.y - el.height, el.width, el.height};
}

fonts::Style style_of(const std::string& font) {
  if (font == "bold") return fonts::Style::Bold;
  if (font == "italic") return fonts::Style::Italic;
  if (font == "bold_italic") return fonts::Style::BoldItalic;
  return fonts::Style::Regular;
}

layout::TextStyle element_style(const CertificateElement& el, const layout::FamilyFonts& family, double size) {
  const fonts::Style st = style_of(el.font);
  auto s = make_style(family.pick(st == fonts::Style::Bold || st == fonts::Style::BoldItalic,
                                  st == fonts::Style::Italic || st == fonts::Style::BoldItalic),
                      size, el.color);
  s.style = st;
  s.hyphenate = false;  // names and titles are never hyphenated
  return s;
}

bool uses_participant(const CertificateElement& el) {
  if (el.kind == ElementKind::Qr) return true;
  if (el.kind != ElementKind::Text) return false;
  for (const auto& use : model::find_placeholders(el.text))
    if (use.name.starts_with("participant.")) return true;
  return false;
}

// Placeholders filled for one certificate; participant.code is the
// certificate's own (the model does not know codes).
std::string fill(const std::string& text, const model::PlaceholderContext& ctx, const std::string& code) {
  std::string out;
  std::size_t last = 0;
  for (const auto& use : model::find_placeholders(text)) {
    out.append(text, last, use.offset - last);
    if (use.name == "participant.code")
      out += code;
    else if (auto v = model::placeholder_value(use.name, ctx))
      out += *v;
    else
      out.append(text, use.offset, use.length);
    last = use.offset + use.length;
  }
  out.append(text, last);
  return out;
}

struct FontMetrics {
  double ascent = 0, descent = 0, cap = 0;  // per point of size
};

FontMetrics metrics_of(fonts::FontId font, fonts::FontSet& fonts) {
  const auto& face = fonts.face(font);
  return {face.ascender() / 1000.0, -face.descender() / 1000.0, face.cap_height() / 1000.0};
}

// Lines of a fitted text in a box: centred vertically on the caps of the
// first line and the baseline of the last, aligned as the element says.
void place_fitted(layout::Page& page, const NameFit& f, const layout::TextStyle& base, const Box& box,
                  model::Align align, double leading_ratio, const FontMetrics& fm, fonts::FontSet& fonts,
                  Diagnostics& diags, const SourceLoc& where) {
  if (!f.placed() || f.lines.empty()) return;
  layout::TextStyle st = base;
  st.size = f.size;
  const double leading = leading_ratio * f.size;
  const double n = static_cast<double>(f.lines.size());
  const double block = fm.cap * f.size + (n - 1) * leading;
  const double centre = box.bottom + box.height / 2;
  double first = centre + block / 2 - fm.cap * f.size;
  // Keep ascenders and descenders inside the box.
  const double last = first - (n - 1) * leading;
  if (last - fm.descent * f.size < box.bottom) first += box.bottom - (last - fm.descent * f.size);
  if (first + fm.ascent * f.size > box.top()) first = box.top() - fm.ascent * f.size;
  double x = box.left;
  if (align == model::Align::Center) x = box.left + box.width / 2;
  if (align == model::Align::Right) x = box.left + box.width;
  double baseline = first;
  for (const auto& line : f.lines) {
    place_text(page, line, st, x, baseline, align, fonts, box.width, &diags, where);
    baseline -= leading;
  }
}

double leading_ratio_of(const CertificateElement& el) {
  return el.leading > 0 && el.size > 0 ? el.leading / el.size : 1.2;
}

void text_element(layout::Page& page, const CertificateElement& el, const Box& box, const std::string& text,
                  const layout::FamilyFonts& family, fonts::FontSet& fonts, Diagnostics& diags,
                  const SourceLoc& where) {
  if (collapse_spaces(text).empty()) return;
  const layout::TextStyle st = element_style(el, family, el.size);
  const FontMetrics fm = metrics_of(st.font, fonts);
  const double ratio = leading_ratio_of(el);
  const NameFitSpec spec{box.width, box.height, el.size, el.min_size, ratio, fm.ascent, fm.descent};
  const NameFit f = fit_name(text, spec, st, fonts);
  // Reported only where the layout gives a range to shrink in (a name):
  // a heading whose min_size is its size is set a little smaller without
  // ado when its box is low.
  if (f.status == NameFitStatus::BelowMinimum && el.min_size < el.size)
    diags.warning(where, fmt::format("a text of the certificate does not fit its box at min_size {}, not even on "
                                     "two lines; set at {:.1f} pt so nothing is clipped",
                                     el.min_size, f.size));
  place_fitted(page, f, st, box, el.align, ratio, fm, fonts, diags, where);
}

// An image scaled into its box keeping its proportions, aligned
// horizontally as the element says and centred vertically.
void image_element(layout::Page& page, const CertificateElement& el, const Box& box, files::FileStore* store,
                   Diagnostics& diags) {
  if (el.image.empty()) return;
  const auto size = layout::image_size(el.image, store);
  if (!size) {
    diags.warning(el.loc, fmt::format("image '{}' cannot be read as PNG or JPEG; left out", el.image));
    return;
  }
  const double scale = std::min(box.width / size->width, box.height / size->height);
  const double w = size->width * scale, h = size->height * scale;
  double x = box.left + (box.width - w) / 2;
  if (el.align == model::Align::Left) x = box.left;
  if (el.align == model::Align::Right) x = box.left + box.width - w;
  page.items.emplace_back(layout::Image{x, box.bottom + (box.height - h) / 2, w, h, el.image});
}

// The QR code of the verification address as filled squares: dark modules
// of a row are merged into one rectangle. A quiet zone of four modules
// (ISO/IEC 18004) is kept inside the box, so nearby text cannot touch it.
// A Figure whose alternative text says what the code holds.
void qr_element(Fragment& f, const CertificateElement& el, const model::PageSpec& spec, const std::string& url,
                Diagnostics& diags, const SourceLoc& project_loc) {
  if (url.empty()) return;
  const auto qr = qr_matrix(url);
  if (!qr) {
    diags.warning(project_loc, "verify_url is too long for a QR code; certificates are printed without one");
    return;
  }
  constexpr int kQuiet = 4;
  const double side = el.height > 0 ? std::min(el.width, el.height) : el.width;
  const double module = side / (qr->size + 2 * kQuiet);
  const double left = el.x + (el.width - side) / 2;
  const double top = spec.height - el.y - (el.height > 0 ? (el.height - side) / 2 : 0);
  const Color black{0, 0, 0};
  const int figure = f.add("Figure");
  f.nodes[static_cast<std::size_t>(figure)].alt =
      fmt::format("QR-kod med adressen där intyget kan verifieras: {}", url);
  for (int r = 0; r < qr->size; ++r) {
    for (int c = 0; c < qr->size;) {
      if (!qr->at(r, c)) {
        ++c;
        continue;
      }
      int e = c;
      while (e < qr->size && qr->at(r, e)) ++e;
      f.page.items.emplace_back(layout::Rect{left + (kQuiet + c) * module, top - (kQuiet + r + 1) * module,
                                             (e - c) * module, module, true, black, false, {}, 0, figure});
      c = e;
    }
  }
}

// The learning goals as a bulleted list, in two columns when the box is
// wide and there are several goals, shrunk until the list fits the box.
// Tagged as a list: L > LI > Lbl (the bullet) + LBody (the goal).
void goals_element(Fragment& f, const CertificateElement& el, const Box& box, const model::Course& course,
                   const layout::FamilyFonts& family, fonts::FontSet& fonts, Diagnostics& diags) {
  const auto& goals = course.learning_goals;
  if (goals.empty()) return;
  const double ratio = el.leading > 0 && el.size > 0 ? el.leading / el.size : 1.3;
  const double gap = 20;
  const bool wide = box.width >= 400 && goals.size() >= 4;
  const std::vector<std::size_t> layouts = wide ? std::vector<std::size_t>{2, 1} : std::vector<std::size_t>{1};

  struct Set {
    std::vector<std::vector<layout::SetLine>> goals;  // lines per goal
    std::vector<std::size_t> column_start;            // first goal of each column
    double size = 0;
    std::size_t columns = 1;
  };
  auto attempt = [&](double size, std::size_t columns, Diagnostics* d) -> std::optional<Set> {
    layout::TextStyle st = element_style(el, family, size);
    const FontMetrics fm = metrics_of(st.font, fonts);
    const double indent = size * 1.1;
    const double col_w = (box.width - gap * static_cast<double>(columns - 1)) / static_cast<double>(columns);
    layout::ParagraphSpec spec;
    spec.width = [w = col_w - indent](std::size_t) { return w; };
    spec.align = layout::LineAlign::Left;
    spec.hyphenate = false;
    Set s;
    s.size = size;
    s.columns = columns;
    for (const auto& g : goals)
      s.goals.push_back(layout::set_paragraph(text_pieces(g, st), spec, fonts, nullptr, course.loc, d));
    const double leading = ratio * size, space = size * 0.35;
    auto height = [&](std::size_t from, std::size_t to) {  // goals [from, to)
      double lines = 0;
      for (std::size_t i = from; i < to; ++i) lines += static_cast<double>(std::max<std::size_t>(s.goals[i].size(), 1));
      if (to <= from) return 0.0;
      return (fm.ascent + fm.descent) * size + (lines - 1) * leading + static_cast<double>(to - from - 1) * space;
    };
    if (columns == 1) {
      if (height(0, goals.size()) > box.height) return std::nullopt;
      s.column_start = {0};
      return s;
    }
    // Two columns, read down the first then the second; the split that
    // makes the taller column lowest.
    std::size_t best = 1;
    double best_h = 1e300;
    for (std::size_t k = 1; k < goals.size(); ++k) {
      const double h = std::max(height(0, k), height(k, goals.size()));
      // On a tie the later split wins: the first column is the longer one.
      if (h <= best_h + 1e-9) {
        best_h = h;
        best = k;
      }
    }
    if (best_h > box.height) return std::nullopt;
    s.column_start = {0, best};
    return s;
  };

  std::optional<Set> chosen;
  const double floor = std::max(4.0, el.size * 0.5);
  shrink_to_fit(el.size, floor, 0.25, [&](double size, bool) {
    for (std::size_t columns : layouts)
      if ((chosen = attempt(size, columns, nullptr))) return true;
    return false;
  });
  if (!chosen) {
    diags.warning(el.loc, "the learning goals do not fit their box on the certificate even at a small size");
    {
      // Set them anyway at the smallest size, one column, running over.
      Set s;
      s.size = floor;
      s.columns = 1;
      s.column_start = {0};
      layout::TextStyle st = element_style(el, family, floor);
      layout::ParagraphSpec spec;
      spec.width = [w = box.width - floor * 1.1](std::size_t) { return w; };
      spec.align = layout::LineAlign::Left;
      spec.hyphenate = false;
      for (const auto& g : goals)
        s.goals.push_back(layout::set_paragraph(text_pieces(g, st), spec, fonts, nullptr, course.loc, nullptr));
      chosen = std::move(s);
    }
  }
  // Once more with diagnostics, so characters no font has are reported once.
  if (auto again = attempt(chosen->size, chosen->columns, &diags)) chosen = std::move(again);

  const Set& s = *chosen;
  layout::TextStyle st = element_style(el, family, s.size);
  const FontMetrics fm = metrics_of(st.font, fonts);
  const double leading = ratio * s.size, space = s.size * 0.35, indent = s.size * 1.1;
  const double col_w = (box.width - gap * static_cast<double>(s.columns - 1)) / static_cast<double>(s.columns);
  layout::Page& page = f.page;
  const int list = f.add("L");
  for (std::size_t c = 0; c < s.column_start.size(); ++c) {
    const std::size_t from = s.column_start[c];
    const std::size_t to = c + 1 < s.column_start.size() ? s.column_start[c + 1] : s.goals.size();
    const double x = box.left + static_cast<double>(c) * (col_w + gap);
    double baseline = box.top() - fm.ascent * s.size;
    for (std::size_t g = from; g < to; ++g) {
      const int item = f.add("LI", list);
      std::size_t first = page.items.size();
      place_text(page, "•", st, x, baseline, model::Align::Left, fonts);
      f.tag_from(first, f.add("Lbl", item));
      first = page.items.size();
      for (const auto& line : s.goals[g]) {
        for (auto run : line.runs) {
          run.x += x + indent;
          run.y = baseline;
          page.items.emplace_back(std::move(run));
        }
        baseline -= leading;
      }
      f.tag_from(first, f.add("LBody", item));
      baseline -= space;
    }
  }
}

// A title in at most two lines of `width`: one when it fits, else split at
// the space that balances the halves best, a space after a comma preferred
// ("FoU-ledare, Kommunal utveckling," / "Region Jönköpings län"). Empty when
// even two lines do not fit.
std::vector<std::string> title_lines(const std::string& text, const layout::TextStyle& style, double width,
                                     fonts::FontSet& fonts) {
  const std::string one = collapse_spaces(text);
  if (one.empty()) return {};
  if (layout::natural_width(one, style, fonts) <= width) return {one};
  std::vector<std::string> best;
  double best_cost = 1e300;
  for (std::size_t i = one.find(' '); i != std::string::npos; i = one.find(' ', i + 1)) {
    const std::string left = one.substr(0, i), right = one.substr(i + 1);
    const double w = std::max(layout::natural_width(left, style, fonts), layout::natural_width(right, style, fonts));
    if (w > width) continue;
    const double cost = w * (left.ends_with(",") ? 0.8 : 1.0);
    if (cost < best_cost) {
      best_cost = cost;
      best = {left, right};
    }
  }
  return best;
}

// One column per signatory across the box: the signature image standing on
// a rule, the name under it in bold, the title under that in at most two
// lines. All columns share one size and one set of baselines, so the rules
// and names line up. Each signatory is a Div read top down: the signature
// (a Figure), the name, the title.
void signatures_element(Fragment& f, const CertificateElement& el, const Box& box,
                        const model::Project& project, const layout::FamilyFonts& family, fonts::FontSet& fonts,
                        files::FileStore* store, Diagnostics& diags) {
  const auto& people = project.signatories;
  if (people.empty()) return;
  const double gap = 24;
  const double n = static_cast<double>(people.size());
  const double col_w = (box.width - gap * (n - 1)) / n;
  const Color muted{0.3, 0.3, 0.3};

  layout::TextStyle title = make_style(family.regular, el.size, muted);
  std::vector<std::vector<std::string>> titles;
  shrink_to_fit(el.size, 4, 0.25, [&](double size, bool last) {
    title.size = size;
    titles.clear();
    bool fits = true;
    for (const auto& who : people) {
      titles.push_back(title_lines(who.title, title, col_w, fonts));
      fits = fits && (titles.back().size() > 0 || collapse_spaces(who.title).empty());
    }
    return fits || last;
  });
  std::size_t most = 0;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const std::string t = collapse_spaces(people[i].title);
    if (titles[i].empty() && !t.empty()) titles[i] = {t};  // too long even small: place_text shrinks it further
    most = std::max(most, titles[i].size());
  }

  const FontMetrics tm = metrics_of(title.font, fonts);
  const double title_leading = title.size * 1.2;
  const layout::TextStyle name = make_style(family.bold, el.size + 1, el.color);
  const FontMetrics nm = metrics_of(name.font, fonts);
  // Baselines from the bottom of the box up: the titles' last line, the
  // name, the rule.
  const double first_title = box.bottom + tm.descent * title.size + title_leading * static_cast<double>(most ? most - 1 : 0);
  const double name_baseline = most ? first_title + tm.ascent * title.size + nm.descent * name.size + 1.5
                                    : box.bottom + nm.descent * name.size;
  const double rule_y = name_baseline + nm.ascent * name.size + 3;

  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& who = people[i];
    const Box col{box.left + static_cast<double>(i) * (col_w + gap), box.bottom, col_w, box.height};
    double x = col.left;
    if (el.align == model::Align::Center) x = col.left + col_w / 2;
    if (el.align == model::Align::Right) x = col.left + col_w;
    layout::Page& page = f.page;
    const int div = f.add("Div");
    if (!who.signature.empty()) {
      const auto size = layout::image_size(who.signature, store);
      const double room = col.top() - rule_y - 1;
      if (!size) {
        diags.warning(project.loc, fmt::format("signature image '{}' cannot be read as PNG or JPEG; left out",
                                               who.signature));
      } else if (room > 4) {
        const double scale = std::min(col_w * 0.8 / size->width, room / size->height);
        const double w = size->width * scale, h = size->height * scale;
        double ix = col.left + (col_w - w) / 2;
        if (el.align == model::Align::Left) ix = col.left;
        if (el.align == model::Align::Right) ix = col.left + col_w - w;
        const int figure = f.add("Figure", div);
        f.nodes[static_cast<std::size_t>(figure)].alt = fmt::format("Namnteckning: {}", collapse_spaces(who.name));
        page.items.emplace_back(layout::Image{ix, rule_y + 1, w, h, who.signature, figure});
      }
    }
    page.items.emplace_back(layout::Line{col.left, rule_y, col.left + col_w, rule_y, 0.6, Color{0.2, 0.2, 0.2}, false});
    std::size_t first = page.items.size();
    place_text(page, who.name, name, x, name_baseline, el.align, fonts, col_w, &diags, project.loc);
    f.tag_from(first, f.add("P", div));
    first = page.items.size();
    double baseline = first_title;
    for (const auto& line : titles[i]) {
      place_text(page, line, title, x, baseline, el.align, fonts, col_w, &diags, project.loc);
      baseline -= title_leading;
    }
    if (page.items.size() > first) f.tag_from(first, f.add("P", div));
  }
}

}  // namespace

std::vector<CertificateEntry> certificate_entries(const model::Programme& programme,
                                                  const model::Municipality& municipality,
                                                  const model::Visit& visit, const model::Course& course) {
  std::vector<CertificateEntry> out;
  if (visit.status == model::VisitStatus::Cancelled) return out;
  for (const model::Participant* p : sheet_order(visit)) {
    if (visit.status == model::VisitStatus::Held && !p->attended.value_or(false)) continue;
    out.push_back({p, verification_code(programme.project, course, municipality, visit, *p)});
  }
  return out;
}

layout::Document compose_certificates(const CertificateInput& in, Diagnostics& diags) {
  const auto& lay = in.programme->layouts.certificate;
  const auto& project = in.programme->project;
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();
  auto& fonts = *out.fonts;
  const layout::FamilyFonts family = resolve_family(lay.font, fonts);

  // Elements that do not depend on the participant are laid out once.
  // The largest text of those is the certificate's heading ("KURSINTYG").
  model::PlaceholderContext ctx{&project, in.course, in.municipality, in.visit, nullptr, 0, 0};
  std::optional<std::size_t> heading;
  for (std::size_t i = 0; i < lay.elements.size(); ++i) {
    const auto& el = lay.elements[i];
    if (el.kind != ElementKind::Text || uses_participant(el) || collapse_spaces(el.text).empty()) continue;
    if (!heading || el.size > lay.elements[*heading].size) heading = i;
  }
  // A text element: one H1 or P.
  auto text_fragment = [&](const CertificateElement& el, std::size_t i, const std::string& text,
                           const SourceLoc& where) {
    Fragment f;
    text_element(f.page, el, box_of(el, lay.page), text, family, fonts, diags, where);
    if (!f.page.items.empty()) f.tag_from(0, f.add(heading == i ? "H1" : "P"));
    return f;
  };
  std::vector<std::optional<Fragment>> shared(lay.elements.size());
  for (std::size_t i = 0; i < lay.elements.size(); ++i) {
    const auto& el = lay.elements[i];
    const Box box = box_of(el, lay.page);
    if (uses_participant(el)) continue;
    Fragment f;
    switch (el.kind) {
      case ElementKind::Text:
        f = text_fragment(el, i, fill(el.text, ctx, ""), el.loc);
        break;
      case ElementKind::Image:
        // The layout gives an image no text to stand for it: it is
        // decoration (a logo, a border), a Layout artifact.
        image_element(f.page, el, box, in.file_store, diags);
        break;
      case ElementKind::Line: {
        const double y = lay.page.height - el.y;
        f.page.items.emplace_back(layout::Line{el.x, y, el.x + el.width, y, el.line_width, el.color, false});
        break;
      }
      case ElementKind::Goals:
        goals_element(f, el, box, *in.course, family, fonts, diags);
        break;
      case ElementKind::Signatures:
        signatures_element(f, el, box, project, family, fonts, in.file_store, diags);
        break;
      case ElementKind::Qr:
        break;
    }
    shared[i] = std::move(f);
  }

  // Each certificate is a Sect of its own, its elements in layout order.
  Structure structure(out);
  for (const auto& entry : in.participants) {
    layout::Page page{lay.page.width, lay.page.height, {}};
    const int sect = structure.add("Sect");
    model::PlaceholderContext pctx = ctx;
    pctx.participant = entry.participant;
    for (std::size_t i = 0; i < lay.elements.size(); ++i) {
      if (shared[i]) {
        append(*shared[i], page, structure, sect);
        continue;
      }
      const auto& el = lay.elements[i];
      Fragment f;
      if (el.kind == ElementKind::Qr)
        qr_element(f, el, lay.page, verify_address(project, entry.code), diags, project.loc);
      else
        f = text_fragment(el, i, fill(el.text, pctx, entry.code), entry.participant->loc);
      append(f, page, structure, sect);
    }
    out.pages.push_back(std::move(page));
  }

  // No participant names here: metadata travels with every file.
  out.meta = document_metadata(project, fmt::format("Kursintyg – {}", in.course->title), project.title,
                               "SPoM, utbildning, kursintyg");
  return out;
}

layout::Document compose_certificate(const CertificateInput& in, std::size_t index, Diagnostics& diags) {
  CertificateInput one = in;
  one.participants = {in.participants.at(index)};
  return compose_certificates(one, diags);
}


}  // namespace cp::documents
