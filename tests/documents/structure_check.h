// Checks of a composed document's logical structure at the frame level, as
// the PDF checker (tests/e2e/pdfcheck.py) checks the tagged PDF made of it.
#pragma once

#include <string>
#include <vector>

#include "frame/frame.h"

namespace cp::test {

// What is wrong with doc's structure, one line each (empty: nothing):
// node 0 is the one Document; parents come before their kids; roles are
// standard; every item is content of an existing node or an artifact;
// text and images are never untagged Layout artifacts unless `loose_text`;
// Figures have alt text, TH a scope; tables, rows, lists and TOCs nest as
// ISO 32000-1 says, table rows are of one width; headings start at H1 and
// skip no level.
std::vector<std::string> structure_problems(const layout::Document& doc);

// The text of the document's runs read in structure order (kids ordered as
// frame.h says: where their first content is drawn), runs joined by one
// space; artifacts are left out.
std::string reading_text(const layout::Document& doc);

// The text of node n's content and its descendants', in the same order.
std::string node_text(const layout::Document& doc, int n);

// The roles of n's child elements, in order, joined by spaces.
std::string kid_roles(const layout::Document& doc, int n);

// The nodes of `role`, in node order.
std::vector<int> nodes_with_role(const layout::Document& doc, const std::string& role);

// The child elements of n in reading order.
std::vector<int> kid_nodes(const layout::Document& doc, int n);

}  // namespace cp::test
