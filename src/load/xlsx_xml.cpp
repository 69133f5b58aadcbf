// Reading the XML parts of a workbook (load/xlsx_xml.h).
#include "load/xlsx_xml.h"

#include <charconv>
#include <cstdint>

namespace cp::load::xlsx {

XmlDoc parse_xml(const std::string& bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return nullptr;
  // No network, no entity expansion, no DTD loading: a workbook is data.
  return XmlDoc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

bool is(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

const xmlNode* child(const xmlNode* n, const char* name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (is(c, name)) return c;
  return nullptr;
}

std::string attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (xmlStrcmp(a->name, reinterpret_cast<const xmlChar*>(name)) == 0 && a->children && a->children->content)
      return reinterpret_cast<const char*>(a->children->content);
  return {};
}

std::string content(const xmlNode* n) {
  std::string out;
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      out += reinterpret_cast<const char*>(c->content);
  return out;
}

std::string string_item(const xmlNode* n) {
  std::string out;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (is(c, "t")) out += content(c);
    else if (is(c, "r")) out += content(child(c, "t"));
  }
  return out;
}

int to_int(const std::string& s) {
  int v = -1;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : -1;
}

}  // namespace cp::load::xlsx
