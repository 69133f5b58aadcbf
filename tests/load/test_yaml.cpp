// The YAML loader: locations, aliases and the limits on hostile input.
#include <catch2/catch.hpp>

#include "load/yaml.h"

using namespace cp;

namespace {

std::vector<std::string> printed(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(format_diagnostic(d));
  return out;
}

}  // namespace

TEST_CASE("yaml: every value carries its line and column, in characters") {
  Diagnostics diags;
  const auto doc =
      load::parse_yaml("# kommentar\nnamn: Åsa Öberg\nlista:\n  - \"ett\"\n  - två\ntom:\n", "f.yaml", diags);
  REQUIRE(doc);
  const auto& root = *doc->root;
  REQUIRE(root.is_mapping());
  const auto* name = root.find("namn");
  REQUIRE(name);
  CHECK(name->key_loc.line == 2);
  CHECK(name->value->loc.line == 2);
  CHECK(name->value->loc.col == 7);
  CHECK(name->value->scalar == "Åsa Öberg");
  const auto* list = root.find("lista")->value;
  REQUIRE(list->items.size() == 2);
  CHECK(list->items[0]->quoted);
  CHECK_FALSE(list->items[1]->quoted);
  CHECK(list->items[1]->loc.line == 5);
  CHECK(list->items[1]->loc.col == 5);
  const auto* empty = root.find("tom")->value;
  CHECK(empty->is_null());
  CHECK(empty->loc.line == 6);  // an empty value points at its key
  CHECK(diags.all().empty());
}

TEST_CASE("yaml: columns after non-ASCII text count characters") {
  Diagnostics diags;
  const auto doc = load::parse_yaml("å: ö: x\n", "f.yaml", diags);
  CHECK_FALSE(doc);
  CHECK(printed(diags) == std::vector<std::string>{"f.yaml:1:5: error: yaml syntax error: illegal map value\n"
                                                   "  hint: a value holding ': ' must be in quotes, e.g. venue: \"Stadshuset: sal 2\""});
}

TEST_CASE("yaml: first_line shifts every location") {
  Diagnostics diags;
  const auto doc = load::parse_yaml("title: x\n", "m.md", diags, 2);
  REQUIRE(doc);
  CHECK(doc->root->find("title")->key_loc.line == 2);
}

TEST_CASE("yaml: aliases share their anchored node") {
  Diagnostics diags;
  const auto doc = load::parse_yaml("a: &x {k: v}\nb: *x\n", "f.yaml", diags);
  REQUIRE(doc);
  CHECK(doc->root->find("a")->value == doc->root->find("b")->value);
}

TEST_CASE("yaml: an alias that refers to its own parent is refused") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("a: &x [*x]\n", "f.yaml", diags));
  CHECK(printed(diags) == std::vector<std::string>{"f.yaml:1:8: error: yaml alias refers to itself"});
}

TEST_CASE("yaml: a second document is an error") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("a: 1\n---\nb: 2\n", "f.yaml", diags));
  CHECK(printed(diags) == std::vector<std::string>{"f.yaml:2:1: error: the file holds more than one yaml document"});
}

TEST_CASE("yaml: a mapping key that is not text") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("[a, b]: 1\n", "f.yaml", diags));
  CHECK(printed(diags) == std::vector<std::string>{"f.yaml:1:1: error: mapping keys must be plain text"});
}

TEST_CASE("yaml: the depth pre-scan") {
  using load::find_excess_depth;
  CHECK_FALSE(find_excess_depth("a:\n  b:\n    - c: [1, {d: e}]\n"));
  CHECK_FALSE(find_excess_depth("text: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n"));
  CHECK_FALSE(find_excess_depth("text: plain [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"));
  CHECK_FALSE(find_excess_depth("notes: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"));
  CHECK_FALSE(find_excess_depth("a: b # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"));
  CHECK_FALSE(find_excess_depth(std::string(60, '[')));
  CHECK(find_excess_depth(std::string(70, '[')));
  CHECK(find_excess_depth("k: " + std::string(100, '{')));
  std::string dashes;
  for (int i = 0; i < 70; ++i) dashes += "- ";
  CHECK(find_excess_depth(dashes + "x\n"));
  std::string indented;
  for (int i = 0; i < 70; ++i) indented += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  CHECK(find_excess_depth(indented));
  CHECK(find_excess_depth("--- " + std::string(100, '[')));
}

TEST_CASE("yaml: deep nesting of every kind is refused with a clear error, never a crash") {
  std::string block, compact = "a: ", flow = std::string(3000, '{');
  for (int i = 0; i < 3000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  for (int i = 0; i < 3000; ++i) compact += "- ";
  for (const std::string& text : {block, compact + "x\n", flow}) {
    Diagnostics diags;
    CHECK_FALSE(load::parse_yaml(text, "f.yaml", diags));
    REQUIRE(diags.error_count() == 1);
    CHECK(diags.all()[0].message == "yaml nesting is too deep (more than 64 levels)");
  }
}

TEST_CASE("yaml: nesting just under the limit parses") {
  Diagnostics diags;
  const auto doc = load::parse_yaml(std::string(60, '[') + std::string(60, ']'), "f.yaml", diags);
  CHECK(doc);
  CHECK(diags.all().empty());
}

TEST_CASE("yaml: an alias bomb is stopped while it grows") {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (const char* name : {"b", "c", "d", "e", "f", "g", "h", "i"}) {
    yaml += std::string(name) + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    prev = name;
  }
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml(yaml, "f.yaml", diags));
  CHECK(printed(diags) ==
        std::vector<std::string>{"f.yaml:5:36: error: yaml aliases expand to more than 100000 nodes"});
}

TEST_CASE("yaml: many plain nodes without aliases are fine") {
  std::string yaml = "items:\n";
  for (int i = 0; i < 30000; ++i) yaml += "  - {a: 1, b: 2}\n";
  Diagnostics diags;
  const auto doc = load::parse_yaml(yaml, "f.yaml", diags);
  REQUIRE(doc);
  CHECK(doc->root->find("items")->value->items.size() == 30000);
}

// Hints in plain words for the syntax mistakes of hand-edited YAML.
TEST_CASE("yaml: a tab in the indentation is named as such, at the tab") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("visits:\n  - date: 2023-03-14\n  \tcourse: grund\n", "f.yaml", diags));
  CHECK(printed(diags) ==
        std::vector<std::string>{"f.yaml:3:3: error: a tab in the indentation\n"
                                 "  hint: indent with spaces only (YAML does not allow tabs there); many editors "
                                 "have a setting to insert spaces for the tab key"});
}

TEST_CASE("yaml: bad indentation gets a hint about columns") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("visits:\n  - date: 2023-03-14\n    course: grund\n   venue: Stadshuset\n", "f.yaml",
                               diags));
  const auto lines = printed(diags);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].ends_with("\n  hint: check the indentation of this line and the one above: the keys of one "
                           "mapping, and the '-' entries of one list, start in the same column"));
  CHECK(lines[0].starts_with("f.yaml:4:"));
}

TEST_CASE("yaml: a tab in a block's text far from the error is not blamed for it") {
  Diagnostics diags;
  CHECK_FALSE(load::parse_yaml("notes: |\n  \tindraget\ncode: \"0686\"\nname: Eksjö: kommun\n", "f.yaml", diags));
  CHECK(printed(diags) ==
        std::vector<std::string>{"f.yaml:4:12: error: yaml syntax error: illegal map value\n"
                                 "  hint: a value holding ': ' must be in quotes, e.g. venue: \"Stadshuset: sal 2\""});
}
