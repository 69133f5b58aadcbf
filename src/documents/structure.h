// Building a composed document's logical structure (layout::Document::
// structure) and tagging its drawn items with it: every composer uses these,
// so each document's items end up either content of a node or an artifact.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "frame/frame.h"

namespace cp::documents {

// The structure of one document. Creates the Document root (node 0) when
// the document has none yet; nodes are added in reading order.
class Structure {
 public:
  explicit Structure(layout::Document& doc);

  // A new element of `role` under `parent`; returns its index.
  int add(const std::string& role, int parent = 0);
  // A Figure with its alternative text.
  int figure(const std::string& alt, int parent = 0);
  // A table header cell: scope "Column" or "Row".
  int header_cell(const std::string& scope, int parent);

  layout::StructNode& operator[](int node) { return nodes_->at(static_cast<std::size_t>(node)); }
  const std::vector<layout::StructNode>& nodes() const { return *nodes_; }
  std::vector<layout::StructNode>& nodes() { return *nodes_; }

 private:
  std::vector<layout::StructNode>* nodes_;
};

// The node an item is content of (-1: an artifact).
int node_of(const layout::Item& item);
// Makes an item content of `node`.
void tag(layout::Item& item, int node);
// Makes an item an artifact of `kind`.
void mark_artifact(layout::Item& item, layout::Artifact kind);

// Items [from, end) of `items` that show text or an image and are not
// tagged yet become content of `node`; rules and boxes stay Layout
// artifacts.
void tag_content(std::vector<layout::Item>& items, int node, std::size_t from = 0);

// Each link in items [from, end) becomes a Link element under `parent`
// holding the link area and the text runs set inside it.
void tag_links(std::vector<layout::Item>& items, Structure& s, int parent, std::size_t from = 0);

// Items [from, end) of `page` become Pagination artifacts (running headers,
// footers, page numbers).
void mark_pagination(layout::Page& page, std::size_t from);

// The items of `nodes` (and their descendants) drawn again on a page after
// the one where they are first drawn become Pagination artifacts: a table's
// header row repeated on the pages its body continues on.
void repeats_as_artifacts(layout::Document& doc, const std::vector<int>& nodes);

}  // namespace cp::documents
