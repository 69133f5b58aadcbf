// Pandoc JSON written as text, piece by piece (see pandoc_json.h).
#include <charconv>

#include "export/pandoc_json.h"

namespace cp::html {

void put_string(std::string& o, std::string_view s) {
  o += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    o.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        o += "\\u00";
        o += kHex[c >> 4];
        o += kHex[c & 15];
      }
    }
  }
  o.append(s.data() + run, s.size() - run);
  o += '"';
}

// {"t":"Tag"} and the opening of {"t":"Tag","c":…}
void leaf(std::string& o, std::string_view tag) {
  o += R"({"t":")";
  o += tag;
  o += R"("})";
}
void open(std::string& o, std::string_view tag) {
  o += R"({"t":")";
  o += tag;
  o += R"(","c":)";
}

void put_attr(std::string& o, std::string_view id, const std::vector<std::string>& classes,
              const std::vector<std::pair<std::string, std::string>>& pairs) {
  o += '[';
  put_string(o, id);
  o += ",[";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (i) o += ',';
    put_string(o, classes[i]);
  }
  o += "],[";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i) o += ',';
    o += '[';
    put_string(o, pairs[i].first);
    o += ',';
    put_string(o, pairs[i].second);
    o += ']';
  }
  o += "]]";
}

// {"t":"Code"|"CodeBlock","c":[attr, text]}
void code(std::string& o, std::string_view tag, std::string_view text) {
  open(o, tag);
  o += '[';
  put_attr(o);
  o += ',';
  put_string(o, text);
  o += "]}";
}

void put_number(std::string& o, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  o.append(buf, r.ptr);
}

}  // namespace cp::html
