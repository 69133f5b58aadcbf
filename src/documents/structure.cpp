#include "documents/structure.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace cp::documents {

Structure::Structure(layout::Document& doc) : nodes_(&doc.structure) {
  if (nodes_->empty()) nodes_->push_back(layout::StructNode{"Document", -1, {}, {}, {}, 1, 1, {}, {}});
}

int Structure::add(const std::string& role, int parent) {
  layout::StructNode n;
  n.role = role;
  n.parent = parent;
  nodes_->push_back(std::move(n));
  return static_cast<int>(nodes_->size()) - 1;
}

int Structure::figure(const std::string& alt, int parent) {
  const int n = add("Figure", parent);
  (*this)[n].alt = alt;
  return n;
}

int Structure::header_cell(const std::string& scope, int parent) {
  const int n = add("TH", parent);
  (*this)[n].scope = scope;
  return n;
}

int node_of(const layout::Item& item) {
  return std::visit([](const auto& i) { return i.node; }, item);
}

void tag(layout::Item& item, int node) {
  std::visit([node](auto& i) { i.node = node; }, item);
}

void mark_artifact(layout::Item& item, layout::Artifact kind) {
  std::visit(
      [kind](auto& i) {
        i.node = -1;
        i.artifact = kind;
      },
      item);
}

void tag_content(std::vector<layout::Item>& items, int node, std::size_t from) {
  for (std::size_t i = from; i < items.size(); ++i) {
    auto& item = items[i];
    if (node_of(item) >= 0) continue;
    if (std::holds_alternative<layout::GlyphRun>(item) || std::holds_alternative<layout::Image>(item) ||
        std::holds_alternative<layout::Link>(item))
      tag(item, node);
  }
}

void tag_links(std::vector<layout::Item>& items, Structure& s, int parent, std::size_t from) {
  for (std::size_t i = from; i < items.size(); ++i) {
    auto* link = std::get_if<layout::Link>(&items[i]);
    if (!link) continue;
    const int node = s.add("Link", parent);
    link->node = node;
    // The runs whose baseline and middle lie inside the link's area.
    for (std::size_t j = from; j < items.size(); ++j) {
      auto* run = std::get_if<layout::GlyphRun>(&items[j]);
      if (!run || (run->node >= 0 && run->node != parent)) continue;
      const double mid = run->x + run->width / 2;
      if (mid >= link->x - 0.01 && mid <= link->x + link->width + 0.01 && run->y >= link->y - 0.01 &&
          run->y <= link->y + link->height + 0.01)
        run->node = node;
    }
  }
}

void mark_pagination(layout::Page& page, std::size_t from) {
  for (std::size_t i = from; i < page.items.size(); ++i) mark_artifact(page.items[i], layout::Artifact::Pagination);
}

void repeats_as_artifacts(layout::Document& doc, const std::vector<int>& nodes) {
  const auto& st = doc.structure;
  // Whether node n is one of `nodes` or lies under one.
  std::vector<char> watched(st.size(), 0);
  for (int n : nodes)
    if (n >= 0 && static_cast<std::size_t>(n) < st.size()) watched[static_cast<std::size_t>(n)] = 1;
  for (std::size_t n = 1; n < st.size(); ++n)
    if (st[n].parent >= 0 && watched[static_cast<std::size_t>(st[n].parent)]) watched[n] = 1;
  std::vector<int> first_page(st.size(), -1);
  for (std::size_t p = 0; p < doc.pages.size(); ++p)
    for (auto& item : doc.pages[p].items) {
      const int n = node_of(item);
      if (n < 0 || static_cast<std::size_t>(n) >= st.size() || !watched[static_cast<std::size_t>(n)]) continue;
      int& first = first_page[static_cast<std::size_t>(n)];
      if (first < 0) first = static_cast<int>(p);
      if (first != static_cast<int>(p)) mark_artifact(item, layout::Artifact::Pagination);
    }
}

}  // namespace cp::documents
