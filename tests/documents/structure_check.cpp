#include "structure_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <variant>

namespace cp::test {

namespace {

const std::set<std::string> kStandard = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link",
    "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"};

int node_of(const layout::Item& item) {
  return std::visit([](const auto& i) { return i.node; }, item);
}

// The tree as the renderer writes it: per node its kids in order, each a
// content item (page, index) or a child node.
struct Kid {
  bool is_node = false;
  int node = -1;
  std::size_t page = 0, index = 0;
};

struct Tree {
  std::vector<std::vector<Kid>> kids;
};

using Key = std::tuple<std::size_t, std::size_t>;

Tree build(const layout::Document& doc) {
  const auto& st = doc.structure;
  const std::size_t n = st.size();
  constexpr Key kNever{~std::size_t{0}, ~std::size_t{0}};
  std::vector<Key> first(n, kNever);
  std::vector<std::vector<std::pair<Key, Kid>>> parts(n);
  for (std::size_t p = 0; p < doc.pages.size(); ++p)
    for (std::size_t i = 0; i < doc.pages[p].items.size(); ++i) {
      const int node = node_of(doc.pages[p].items[i]);
      if (node < 0 || static_cast<std::size_t>(node) >= n) continue;
      parts[static_cast<std::size_t>(node)].push_back({Key{p, i}, Kid{false, -1, p, i}});
      for (int a = node; a >= 0; a = st[static_cast<std::size_t>(a)].parent)
        first[static_cast<std::size_t>(a)] = std::min(first[static_cast<std::size_t>(a)], Key{p, i});
    }
  Tree t;
  t.kids.resize(n);
  for (std::size_t c = 1; c < n; ++c) {
    const int parent = st[c].parent;
    if (parent < 0 || static_cast<std::size_t>(parent) >= c || first[c] == kNever) continue;
    parts[static_cast<std::size_t>(parent)].push_back({first[c], Kid{true, static_cast<int>(c), 0, 0}});
  }
  for (std::size_t k = 0; k < n; ++k) {
    std::stable_sort(parts[k].begin(), parts[k].end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [key, kid] : parts[k]) t.kids[k].push_back(kid);
  }
  // Elements that draw nothing: before their first later sibling, else last.
  for (std::size_t c = 1; c < n; ++c) {
    const int parent = st[c].parent;
    if (parent < 0 || static_cast<std::size_t>(parent) >= c || first[c] != kNever) continue;
    auto& kids = t.kids[static_cast<std::size_t>(parent)];
    const auto at = std::find_if(kids.begin(), kids.end(),
                                 [c](const Kid& k) { return k.is_node && k.node > static_cast<int>(c); });
    kids.insert(at, Kid{true, static_cast<int>(c), 0, 0});
  }
  return t;
}

void collect(const layout::Document& doc, const Tree& t, int node, std::vector<std::string>& out) {
  for (const Kid& k : t.kids[static_cast<std::size_t>(node)]) {
    if (k.is_node) {
      collect(doc, t, k.node, out);
    } else if (const auto* r = std::get_if<layout::GlyphRun>(&doc.pages[k.page].items[k.index])) {
      out.push_back(r->text);
    }
  }
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ' ';
    s += x;
  }
  return s;
}

}  // namespace

std::vector<int> kid_nodes(const layout::Document& doc, int n) {
  const Tree t = build(doc);
  std::vector<int> out;
  for (const Kid& k : t.kids.at(static_cast<std::size_t>(n)))
    if (k.is_node) out.push_back(k.node);
  return out;
}

std::string kid_roles(const layout::Document& doc, int n) {
  std::vector<std::string> roles;
  for (int k : kid_nodes(doc, n)) roles.push_back(doc.structure[static_cast<std::size_t>(k)].role);
  return joined(roles);
}

std::vector<int> nodes_with_role(const layout::Document& doc, const std::string& role) {
  std::vector<int> out;
  for (std::size_t i = 0; i < doc.structure.size(); ++i)
    if (doc.structure[i].role == role) out.push_back(static_cast<int>(i));
  return out;
}

std::string reading_text(const layout::Document& doc) { return doc.structure.empty() ? "" : node_text(doc, 0); }

std::string node_text(const layout::Document& doc, int n) {
  const Tree t = build(doc);
  std::vector<std::string> out;
  collect(doc, t, n, out);
  return joined(out);
}

std::vector<std::string> structure_problems(const layout::Document& doc) {
  std::vector<std::string> out;
  const auto& st = doc.structure;
  if (st.empty()) return {"no structure"};
  if (st[0].role != "Document" || st[0].parent != -1) out.push_back("node 0 is not the Document root");
  for (std::size_t i = 1; i < st.size(); ++i) {
    const auto& s = st[i];
    if (s.parent < 0 || static_cast<std::size_t>(s.parent) >= i)
      out.push_back(fmt::format("node {} ({}) has parent {}", i, s.role, s.parent));
    if (s.role == "Document") out.push_back(fmt::format("node {} is a second Document", i));
    if (!kStandard.contains(s.role)) out.push_back(fmt::format("node {} has role {}", i, s.role));
    if ((s.role == "Figure" || s.role == "Formula") && s.alt.empty())
      out.push_back(fmt::format("node {} ({}) has no alt text", i, s.role));
    if (s.role == "TH" && s.scope != "Column" && s.scope != "Row" && s.scope != "Both")
      out.push_back(fmt::format("node {} (TH) has no scope", i));
  }
  // Every item: content of an existing node, or an artifact; text and
  // images inside a node never mixed with artifacts of the same run.
  for (std::size_t p = 0; p < doc.pages.size(); ++p)
    for (std::size_t i = 0; i < doc.pages[p].items.size(); ++i) {
      const auto& item = doc.pages[p].items[i];
      const int n = node_of(item);
      if (n >= static_cast<int>(st.size()) || n < -1)
        out.push_back(fmt::format("page {} item {} has node {}", p + 1, i, n));
      if (n == -1 && std::holds_alternative<layout::Link>(item))
        out.push_back(fmt::format("page {} item {}: a link that is not a Link element", p + 1, i));
      if (n >= 0 && std::holds_alternative<layout::Link>(item) && st[static_cast<std::size_t>(n)].role != "Link")
        out.push_back(fmt::format("page {} item {}: a link tagged {}", p + 1, i, st[static_cast<std::size_t>(n)].role));
      if (n >= 0) {
        const auto& role = st[static_cast<std::size_t>(n)].role;
        if (role == "Table" || role == "TR" || role == "THead" || role == "TBody" || role == "L" || role == "LI" ||
            role == "Document")
          out.push_back(fmt::format("page {} item {}: content directly in a {}", p + 1, i, role));
      }
    }
  const Tree t = build(doc);
  const std::map<std::string, std::set<std::string>> allowed = {
      {"Table", {"TR", "THead", "TBody", "TFoot", "Caption"}},
      {"THead", {"TR"}},
      {"TBody", {"TR"}},
      {"TFoot", {"TR"}},
      {"TR", {"TH", "TD"}},
      {"L", {"L", "LI", "Caption"}},
      {"LI", {"Lbl", "LBody"}},
      {"TOC", {"TOC", "TOCI", "Caption"}}};
  const std::map<std::string, std::set<std::string>> parents = {
      {"TR", {"Table", "THead", "TBody", "TFoot"}}, {"TH", {"TR"}}, {"TD", {"TR"}}, {"LI", {"L"}},
      {"LBody", {"LI"}}, {"Lbl", {"LI"}}, {"TOCI", {"TOC"}}, {"THead", {"Table"}}, {"TBody", {"Table"}}};
  for (std::size_t i = 0; i < st.size(); ++i) {
    const auto& role = st[i].role;
    std::vector<int> kids;
    for (const Kid& k : t.kids[i])
      if (k.is_node) kids.push_back(k.node);
    if (auto a = allowed.find(role); a != allowed.end())
      for (int k : kids)
        if (!a->second.contains(st[static_cast<std::size_t>(k)].role))
          out.push_back(fmt::format("node {} ({}) holds {}", i, role, st[static_cast<std::size_t>(k)].role));
    if (auto pr = parents.find(role); pr != parents.end() && st[i].parent >= 0 &&
                                      !pr->second.contains(st[static_cast<std::size_t>(st[i].parent)].role))
      out.push_back(fmt::format("node {} ({}) inside {}", i, role, st[static_cast<std::size_t>(st[i].parent)].role));
    if (role == "Table") {
      std::vector<int> rows;
      for (int k : kids) {
        const auto& kr = st[static_cast<std::size_t>(k)].role;
        if (kr == "TR") rows.push_back(k);
        else if (kr == "THead" || kr == "TBody" || kr == "TFoot")
          for (const Kid& r : t.kids[static_cast<std::size_t>(k)])
            if (r.is_node && st[static_cast<std::size_t>(r.node)].role == "TR") rows.push_back(r.node);
      }
      std::set<int> widths;
      for (int r : rows) {
        int w = 0;
        for (const Kid& c : t.kids[static_cast<std::size_t>(r)])
          if (c.is_node) w += st[static_cast<std::size_t>(c.node)].col_span;
        widths.insert(w);
      }
      if (widths.size() > 1) out.push_back(fmt::format("table {} has rows of different widths", i));
    }
  }
  // Headings in reading order.
  int previous = 0;
  std::vector<int> order;
  std::vector<int> stack{0};
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    order.push_back(n);
    const auto& ks = t.kids[static_cast<std::size_t>(n)];
    for (auto it = ks.rbegin(); it != ks.rend(); ++it)
      if (it->is_node) stack.push_back(it->node);
  }
  for (int n : order) {
    const auto& role = st[static_cast<std::size_t>(n)].role;
    if (role.size() != 2 || role[0] != 'H' || role[1] < '1' || role[1] > '6') continue;
    const int level = role[1] - '0';
    if (previous == 0 && level != 1) out.push_back(fmt::format("the first heading is {}", role));
    if (previous && level > previous + 1) out.push_back(fmt::format("H{} is followed by {}", previous, role));
    previous = level;
  }
  return out;
}

}  // namespace cp::test
