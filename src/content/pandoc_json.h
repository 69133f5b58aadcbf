// Checked reading of Pandoc's JSON: members, array items, strings, numbers,
// element tags and contents, attributes and the API version, each throwing
// Malformed (or Unsupported) when the document has another shape.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "content/pandoc_ast.h"
#include "core/json.h"

namespace cp::content::detail {

using json = nlohmann::json;

// Thrown inside the converter only; caught at its entry point.
struct Malformed {
  std::string what;
};
struct TooDeep {};
struct Unsupported {
  std::string what;
};

inline const json& member(const json& obj, const char* key) {
  if (!obj.is_object()) throw Malformed{std::string("expected an object holding \"") + key + "\""};
  const auto it = obj.find(key);
  if (it == obj.end()) throw Malformed{std::string("missing \"") + key + "\""};
  return *it;
}

inline const json& array(const json& j, const char* what) {
  if (!j.is_array()) throw Malformed{std::string(what) + " is not an array"};
  return j;
}

inline const json& item(const json& j, std::size_t i, const char* what) {
  if (!j.is_array() || j.size() <= i) throw Malformed{std::string(what) + " has too few parts"};
  return j[i];
}

inline const std::string& string(const json& j, const char* what) {
  if (!j.is_string()) throw Malformed{std::string(what) + " is not a string"};
  return j.get_ref<const std::string&>();
}

// A whole number; one beyond long long is taken as its largest.
long long integer(const json& j, const char* what);

// A whole number clamped to [lo, hi].
int small_int(const json& j, const char* what, int lo, int hi);

// The "t" of a node.
inline const std::string& tag(const json& node) {
  if (!node.is_object()) throw Malformed{"an element is not an object"};
  return string(member(node, "t"), "an element's type");
}

// The "c" of a node whose "t" is `t`.
inline const json& content(const json& node, const std::string& t) {
  if (!node.is_object()) throw Malformed{"an element is not an object"};
  const auto it = node.find("c");
  if (it == node.end()) throw Malformed{t + " has no content"};
  return *it;
}

struct Attr {
  std::string id;
  std::vector<std::string> classes;
  std::vector<std::pair<std::string, std::string>> pairs;
};

// [id, [classes], [[key, value]]]
Attr attr(const json& j);

// Throws TooDeep past kMaxNesting.
inline void enter(int depth) {
  if (depth > kMaxNesting) throw TooDeep{};
}

// Throws Unsupported unless the document's pandoc-api-version is one this
// build reads (kSupportedPandocApi).
void check_version(const json& root);

}  // namespace cp::content::detail
