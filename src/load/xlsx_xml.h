// The XML parts of a workbook (libxml2): parsed without network, entities
// or DTDs, and read by element local name, attribute and text.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>

namespace cp::load::xlsx {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

// Null when `bytes` is not well-formed XML.
XmlDoc parse_xml(const std::string& bytes);

// Elements are compared by local name: transitional and strict OOXML use
// different namespaces for the same parts.
bool is(const xmlNode* n, const char* name);

// The first child element `name` of `n`; null when none (or `n` is null).
const xmlNode* child(const xmlNode* n, const char* name);

// The attribute's value; empty when it is missing.
std::string attr(const xmlNode* n, const char* name);

// The text (and CDATA) directly inside `n`.
std::string content(const xmlNode* n);

// The text of a string item (<si> or <is>): its <t>, or the <t> of each
// run <r>; phonetic guides (<rPh>) are not part of the text.
std::string string_item(const xmlNode* n);

// An attribute's whole number; -1 for anything else (also out of range).
int to_int(const std::string& s);

}  // namespace cp::load::xlsx
