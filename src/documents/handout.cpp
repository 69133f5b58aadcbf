#include "documents/handout.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <variant>

#include "core/files.h"
#include "core/text.h"
#include "documents/typeset.h"
#include "layout/flow.h"
#include "layout/paragraph.h"
#include "model/placeholders.h"

namespace cp::documents {

namespace {

using layout::Chunk;
using layout::Piece;
using model::Color;

using doc::words;

doc::Inline strong(const std::string& s) { return {doc::InlineKind::Strong, "", words(s), {}, nullptr}; }

doc::Inline link(const std::string& text, const std::string& target) {
  return {doc::InlineKind::Link, "", words(text), target, nullptr};
}

doc::Block para(doc::Inlines ins) {
  doc::Block b;
  b.kind = doc::BlockKind::Para;
  b.inlines = std::move(ins);
  return b;
}

doc::Block heading(int level, const std::string& title) {
  doc::Block b;
  b.kind = doc::BlockKind::Heading;
  b.level = level;
  b.inlines = words(title);
  return b;
}

void append(doc::Inlines& to, doc::Inlines more) {
  for (auto& i : more) to.push_back(std::move(i));
}

doc::TableCell cell(doc::Inlines ins) {
  doc::Block b;
  b.kind = doc::BlockKind::Plain;
  b.inlines = std::move(ins);
  return {{b}};
}

doc::Inlines contact_line(const std::string& phone, const std::string& email) {
  doc::Inlines ins;
  if (!phone.empty()) append(ins, words(phone));
  if (!email.empty()) {
    if (!ins.empty()) {
      ins.push_back({doc::InlineKind::LineBreak, "", {}, {}, nullptr});
    }
    ins.push_back(link(email, "mailto:" + email));
  }
  return ins;
}

}  // namespace

// The page about the visited municipality: contact persons, local
// resources and notes.
doc::Blocks municipality_page(const HandoutInput& in) {
  const auto& m = *in.municipality;
  doc::Blocks out;
  out.push_back(heading(1, m.name));
  if (!m.contacts.empty()) {
    out.push_back(heading(2, "Kontaktpersoner"));
    auto t = std::make_shared<doc::Table>();
    t->aligns = {doc::Align::Left, doc::Align::Left, doc::Align::Left};
    t->header = {cell(words("Namn")), cell(words("Roll")), cell(words("Telefon och e-post"))};
    for (const auto& c : m.contacts)
      t->rows.push_back({cell({strong(c.name)}), cell(words(c.role)), cell(contact_line(c.phone, c.email))});
    doc::Block b;
    b.kind = doc::BlockKind::Table;
    b.table = t;
    out.push_back(std::move(b));
  }
  if (!m.resources.empty()) {
    out.push_back(heading(2, "Stöd och resurser"));
    doc::Block list;
    list.kind = doc::BlockKind::BulletList;
    for (const auto& r : m.resources) {
      doc::Inlines ins{strong(r.name)};
      if (!r.phone.empty()) append(ins, words(", tfn\u00A0" + r.phone));
      if (!r.url.empty()) {
        append(ins, words(", "));
        ins.push_back(link(r.url, r.url));
      }
      if (!r.note.empty()) append(ins, words(". " + r.note));
      doc::Block p;
      p.kind = doc::BlockKind::Plain;
      p.inlines = std::move(ins);
      list.items.push_back({p});
    }
    out.push_back(std::move(list));
  }
  if (!in.municipality_notes.empty()) {
    out.push_back(heading(2, "Om arbetet i " + m.name));
    for (const auto& b : in.municipality_notes) out.push_back(b);
  }
  return out;
}

// Every municipality's contact persons, so staff know whom to call across
// the county.
doc::Blocks county_contacts(const HandoutInput& in) {
  doc::Blocks out;
  out.push_back(heading(1, "Kontaktpersoner i länet"));
  out.push_back(para(words("Här finns kontaktpersonerna i länets kommuner. Ta gärna kontakt över kommungränserna "
                           "när ni behöver stöd i ett ärende eller vill jämföra rutiner.")));
  auto t = std::make_shared<doc::Table>();
  t->aligns = {doc::Align::Left, doc::Align::Left, doc::Align::Left, doc::Align::Left};
  t->header = {cell(words("Kommun")), cell(words("Namn")), cell(words("Roll")), cell(words("Telefon och e-post"))};
  std::vector<const model::Municipality*> ms;
  for (const auto& m : in.programme->municipalities) ms.push_back(&m);
  std::sort(ms.begin(), ms.end(), [](auto* a, auto* b) { return text::compare_swedish(a->name, b->name) < 0; });
  for (const auto* m : ms) {
    for (const auto& c : m->contacts)
      t->rows.push_back({cell(words(m->name)), cell({strong(c.name)}), cell(words(c.role)),
                         cell(contact_line(c.phone, c.email))});
    if (m->contacts.empty())
      t->rows.push_back({cell(words(m->name)), cell(words("Ännu inte utsedd")), cell({}), cell({})});
  }
  doc::Block b;
  b.kind = doc::BlockKind::Table;
  b.table = t;
  out.push_back(std::move(b));
  const auto& co = in.programme->project.coordinator;
  if (!co.name.empty()) {
    doc::Inlines ins = words("Samordnare för programmet: ");
    ins.push_back(strong(co.name));
    if (!co.title.empty()) append(ins, words(", " + co.title));
    if (!co.phone.empty()) append(ins, words(", tfn\u00A0" + co.phone));
    if (!co.email.empty()) {
      append(ins, words(", "));
      ins.push_back(link(co.email, "mailto:" + co.email));
    }
    append(ins, words("."));
    out.push_back(para(std::move(ins)));
  }
  return out;
}

doc::Blocks handout_blocks(const HandoutInput& in) {
  doc::Blocks out;
  for (const auto& m : in.modules)
    for (const auto& b : m.blocks) out.push_back(b);
  for (auto& b : municipality_page(in)) out.push_back(std::move(b));
  for (auto& b : county_contacts(in)) out.push_back(std::move(b));
  return out;
}

namespace {

layout::FlowStyle flow_style(const model::HandoutLayout& l, fonts::FontSet& set) {
  layout::FlowStyle s;
  s.body = resolve_family(l.body_font, set);
  s.heading = resolve_family(l.heading_font, set);
  s.mono = resolve_family(l.mono_font, set);
  s.body_size = l.body_size;
  s.leading = l.leading;
  for (int i = 0; i < 3; ++i) s.heading_sizes[i] = l.heading_sizes[i];
  s.paragraph_space = l.paragraph_space;
  s.justify = l.justify;
  s.hyphenate = l.hyphenate;
  s.text = l.text_color;
  s.accent = l.accent;
  s.box_discussion = l.box_discussion;
  s.box_note = l.box_note;
  s.box_case = l.box_case;
  return s;
}

// A flow's structure appended under the document's root, the items of its
// pages (from `first` on) renumbered to match.
void merge_structure(layout::Document& doc, const std::vector<layout::StructNode>& nodes, std::size_t first) {
  if (nodes.size() <= 1) return;
  const int offset = static_cast<int>(doc.structure.size()) - 1;
  for (std::size_t n = 1; n < nodes.size(); ++n) {
    layout::StructNode node = nodes[n];
    node.parent = node.parent > 0 ? node.parent + offset : 0;
    doc.structure.push_back(std::move(node));
  }
  for (std::size_t p = first; p < doc.pages.size(); ++p)
    for (auto& item : doc.pages[p].items)
      std::visit(
          [offset](auto& it) {
            if (it.node > 0) it.node += offset;
          },
          item);
}

// The cover: programme, course, municipality, when and where, organisers.
// Its structure: the course title the first H1, the other lines paragraphs;
// the logos and the band are layout artifacts.
layout::Page cover_page(const HandoutInput& in, layout::Flow& flow, const layout::TextArea& area,
                        const model::PageSpec& spec, std::vector<layout::StructNode>& structure) {
  const auto& p = in.programme->project;
  const auto& v = *in.visit;
  const auto& st = flow.style();
  auto& fonts = flow.fonts();
  layout::Flow cover(st, fonts, in.hyphenator, nullptr);
  cover.set_width(area.width);
  cover.tag_structure();
  auto add = [&](const std::string& text, fonts::FontId font, double size, Color color, double space,
                 bool title = false) {
    auto style = make_style(font, size, color);
    if (title) style.node = cover.add_node("H" + std::to_string(cover.heading_level(1)));
    cover.add_paragraph(text_pieces(text, style), layout::LineAlign::Left, space);
  };
  add(p.organisation, st.heading.bold, 11, st.accent, 0);
  for (const auto& partner : p.partners) add(partner, st.heading.regular, 10, st.text, 1);
  cover.add_space(110);
  add(p.title, st.heading.regular, 13, st.accent, 0);
  add(in.course->title, st.heading.bold, 26, st.text, 8, true);
  if (!in.course->subtitle.empty()) add(in.course->subtitle, st.heading.regular, 14, st.text, 6);
  cover.add_space(60);
  add(in.municipality->name, st.heading.bold, 18, st.accent, 0);
  std::string when = v.date.swedish_long();
  if (v.start) when += ", kl.\u00A0" + v.start->str() + (v.end ? "\u2013" + v.end->str() : "");
  add(when, st.heading.regular, 12, st.text, 6);
  if (!v.venue.empty()) add(v.venue, st.heading.regular, 12, st.text, 2);
  if (!v.address.empty()) add(v.address, st.heading.regular, 12, st.text, 2);
  if (!v.trainers.empty()) {
    std::string t = "Utbildare: ";
    for (std::size_t i = 0; i < v.trainers.size(); ++i) t += (i ? ", " : "") + v.trainers[i];
    add(t, st.heading.regular, 11, st.text, 10);
  }
  auto flowed = cover.paginate(area, spec.width, spec.height);
  structure = cover.structure();
  layout::Page page = flowed.pages.empty() ? layout::Page{spec.width, spec.height, {}} : flowed.pages.front();
  // Logos in the top-right corner, side by side.
  double x = area.left + area.width;
  for (auto it = in.programme->layouts.handout.logos.rbegin(); it != in.programme->layouts.handout.logos.rend();
       ++it) {
    const auto size = layout::image_size(*it, in.file_store);
    if (!size) continue;
    const double h = 36, w = h * size->width / size->height;
    x -= w;
    page.items.emplace_back(layout::Image{x, area.top() - h, w, h, *it});
    x -= 12;
  }
  // An accent band at the foot of the cover.
  page.items.emplace_back(layout::Rect{0, 0, spec.width, area.bottom * 0.6, true, st.accent, false, {}, 0});
  return page;
}

struct TocEntry {
  std::string title;
  int level = 1;
  int page = 0;  // 0-based page index in the final document
};

// Table of contents chunks; page numbers right-aligned in a fixed column so
// the contents never change length when the numbers do. Its structure: a
// TOC with a TOCI per entry holding the entry's Link (its text, page
// number and annotation).
void add_toc(layout::Flow& flow, const std::vector<TocEntry>& entries) {
  const auto& st = flow.style();
  flow.add_heading(1, "Innehåll", true, false);
  const double num_col = 30;
  const int toc = flow.add_node("TOC");
  for (const auto& e : entries) {
    auto style = make_style(e.level == 1 ? st.body.bold : st.body.regular, st.body_size, st.text);
    style.node = flow.add_node("Link", flow.add_node("TOCI", toc));
    const double indent = e.level == 1 ? 0 : 14;
    const auto lines = flow.paragraph_chunks(text_pieces(e.title, style), flow.width() - num_col - indent - 10,
                                             layout::LineAlign::Left, st.leading, true, SourceLoc{});
    if (lines.empty()) continue;
    Chunk c = layout::stack(lines, indent);
    c.space_before = e.level == 1 ? 5 : 1;
    // The page number on the last line's baseline.
    const double baseline = c.height - lines.back().height + lines.back().first_baseline;
    const std::string num = std::to_string(e.page + 1);
    const double nw = layout::natural_width(num, style, flow.fonts());
    layout::GlyphRun run;
    run.x = flow.width() - nw;
    run.y = -baseline;
    run.font = style.font;
    run.size = style.size;
    run.color = st.text;
    run.text = num;
    run.width = nw;
    run.node = style.node;
    c.items.emplace_back(std::move(run));
    layout::Link link{0, -c.height, flow.width(), c.height, "", e.page, 0};
    link.node = style.node;
    c.items.emplace_back(std::move(link));
    flow.add_chunk(std::move(c));
  }
}

}  // namespace

layout::Document compose_handout(const HandoutInput& in, Diagnostics& diags) {
  const auto& lay = in.programme->layouts.handout;
  layout::Document out;
  out.fonts = std::make_shared<fonts::FontSet>();
  const layout::FlowStyle style = flow_style(lay, *out.fonts);
  const layout::TextArea area = text_area(lay.page);
  const layout::TextArea body = body_area(area);

  const auto materials = std::filesystem::path(in.programme->root) / "materials";
  auto images = [&diags, &in, materials](const std::string& written, const SourceLoc& where) -> std::string {
    const auto r = files::resolve_inside(materials, written);
    if (r.status != files::ResolveStatus::Ok) {
      diags.warning(where, files::describe(r.status, written, "materials"));
      return {};
    }
    if (!layout::image_size(r.path.string(), in.file_store)) {
      diags.warning(where, fmt::format("image '{}' is not a PNG or JPEG file", written));
      return {};
    }
    return r.path.string();
  };

  // The content after the contents pages, flowed once.
  layout::Flow content(style, *out.fonts, in.hyphenator, &diags, images);
  content.set_paragraph_cache(in.paragraphs);
  content.set_file_store(in.file_store);
  content.set_width(body.width);
  content.tag_structure(1);  // after the contents' H1
  for (const auto& m : in.modules) content.add_blocks(m.blocks, true);
  content.add_blocks(municipality_page(in), true);
  content.add_blocks(county_contacts(in), true);
  for (int i = 0; i < lay.note_pages; ++i) {
    content.add_heading(1, "Anteckningar", true, i == 0);
    content.add_ruled_lines(24, body.height - 60);
  }
  const layout::Flowed flowed = content.paginate(body, lay.page.width, lay.page.height);

  // Contents: laid out until its page count is stable (numbers depend on
  // how many pages the contents take).
  int toc_pages = 1;
  layout::Flowed toc;
  std::vector<layout::StructNode> toc_structure;
  for (int pass = 0; pass < 4; ++pass) {
    std::vector<TocEntry> entries;
    for (const auto& h : flowed.headings)
      entries.push_back({h.title, h.level, 1 + toc_pages + h.page});
    layout::Flow toc_flow(style, *out.fonts, in.hyphenator, &diags);
    toc_flow.set_paragraph_cache(in.paragraphs);
    toc_flow.set_width(body.width);
    toc_flow.tag_structure();
    add_toc(toc_flow, entries);
    toc = toc_flow.paginate(body, lay.page.width, lay.page.height);
    toc_structure = toc_flow.structure();
    const int n = std::max<int>(1, static_cast<int>(toc.pages.size()));
    if (n == toc_pages) break;
    toc_pages = n;
  }

  // The structure in reading order: the cover, the contents, the text.
  out.structure.push_back(layout::StructNode{"Document", -1, {}, {}, {}, 1, 1, {}, {}});
  std::vector<layout::StructNode> cover_structure;
  out.pages.push_back(cover_page(in, content, area, lay.page, cover_structure));
  merge_structure(out, cover_structure, 0);
  std::size_t first = out.pages.size();
  for (auto& p : toc.pages) out.pages.push_back(std::move(p));
  merge_structure(out, toc_structure, first);
  const int offset = static_cast<int>(out.pages.size());
  for (const auto& p : flowed.pages) out.pages.push_back(p);
  merge_structure(out, content.structure(), static_cast<std::size_t>(offset));

  out.outline.push_back({0, "Innehåll", 1, body.top()});
  for (const auto& h : flowed.headings) out.outline.push_back({h.level - 1, h.title, offset + h.page, h.y});

  model::PlaceholderContext ctx{&in.programme->project, in.course, in.municipality, in.visit, nullptr, 0, 0};
  RunningTexts texts{lay.header_left, lay.header_right, lay.footer_left, lay.footer_right};
  add_running_texts(out, 1, texts, ctx, area, make_style(style.heading.regular, 8, Color{0.35, 0.35, 0.35}),
                    Color{0.7, 0.7, 0.7});

  out.meta = document_metadata(in.programme->project, fmt::format("{} – {}", in.course->title, in.municipality->name),
                               fmt::format("{}, {}", in.programme->project.title, in.visit->date.swedish_long()),
                               "SPoM, utbildning, handout");
  return out;
}

}  // namespace cp::documents
