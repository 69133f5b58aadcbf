#include "render/trace.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>

#include "core/text.h"

namespace cp::render {

namespace {

std::string hex_colour(const layout::Color& c) {
  auto channel = [](double v) {
    const double clamped = v < 0 ? 0 : (v > 1 ? 1 : v);
    return static_cast<int>(std::lround(clamped * 255.0));
  };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", channel(c.r), channel(c.g), channel(c.b));
  return buf;
}

bool is_black(const layout::Color& c) { return c.r == 0 && c.g == 0 && c.b == 0; }

std::string font_name(const layout::Document& doc, fonts::FontId id) {
  if (doc.fonts && id >= 0 && static_cast<std::size_t>(id) < doc.fonts->size())
    return doc.fonts->face(id).postscript_name();
  return "font#" + std::to_string(id);
}

struct ItemWriter {
  const layout::Document& doc;
  std::string& out;

  void num(double v) {
    out += ' ';
    out += trace_number(v);
  }

  void operator()(const layout::GlyphRun& r) {
    out += 'T';
    num(r.x);
    num(r.y);
    out += ' ';
    out += font_name(doc, r.font);
    num(r.size);
    out += " w=" + trace_number(r.width);
    out += " (" + r.text + ")\n";
  }
  void operator()(const layout::Line& l) {
    out += 'L';
    num(l.x1);
    num(l.y1);
    num(l.x2);
    num(l.y2);
    out += " w=" + trace_number(l.width);
    if (!is_black(l.color)) out += ' ' + hex_colour(l.color);
    if (l.dashed) out += " dashed";
    out += '\n';
  }
  void operator()(const layout::Rect& r) {
    out += 'R';
    num(r.x);
    num(r.y);
    num(r.width);
    num(r.height);
    if (r.fill) out += " fill=" + hex_colour(r.fill_color);
    if (r.stroke) out += " stroke=" + hex_colour(r.stroke_color) + " w=" + trace_number(r.stroke_width);
    out += '\n';
  }
  void operator()(const layout::Image& i) {
    out += 'I';
    num(i.x);
    num(i.y);
    num(i.width);
    num(i.height);
    out += ' ' + std::filesystem::path(i.path).filename().string() + '\n';
  }
  void operator()(const layout::Link& l) {
    out += 'A';
    num(l.x);
    num(l.y);
    num(l.width);
    num(l.height);
    if (!l.uri.empty()) {
      out += ' ' + l.uri + '\n';
    } else {
      out += " -> page " + std::to_string(l.dest_page + 1);
      num(l.dest_y);
      out += '\n';
    }
  }
};

}  // namespace

std::string trace_number(double v) {
  std::string s;
  text::append_decimal(s, v, 2);
  return s;
}

std::string render_trace(const layout::Document& doc) {
  std::string out;
  for (std::size_t p = 0; p < doc.pages.size(); ++p) {
    const layout::Page& page = doc.pages[p];
    out += "page " + std::to_string(p + 1) + ' ' + trace_number(page.width) + 'x' + trace_number(page.height) + '\n';
    ItemWriter w{doc, out};
    for (const layout::Item& item : page.items) std::visit(w, item);
  }
  for (const layout::Bookmark& b : doc.outline) {
    out += "B " + std::to_string(b.level) + ' ' + std::to_string(b.page + 1) + ' ' + trace_number(b.y) + ' ' +
           b.title + '\n';
  }
  return out;
}

}  // namespace cp::render
