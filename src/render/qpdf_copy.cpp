#include "render/qpdf_copy.h"

namespace cp::render {

QPDFObjectHandle copy_foreign(QPDF& out, QPDFObjectHandle value) {
  if (value.isIndirect()) return out.copyForeignObject(value);
  if (value.isArray()) {
    auto array = QPDFObjectHandle::newArray();
    for (auto& item : value.aitems()) array.appendItem(copy_foreign(out, item));
    return array;
  }
  if (value.isDictionary()) {
    auto dict = QPDFObjectHandle::newDictionary();
    for (auto& [key, item] : value.ditems()) dict.replaceKey(key, copy_foreign(out, item));
    return dict;
  }
  return value.shallowCopy();
}

void copy_catalog_entries(QPDF& source, QPDF& out) {
  for (const char* key : {"/Lang", "/Metadata", "/OutputIntents", "/ViewerPreferences"})
    if (auto value = source.getRoot().getKey(key); !value.isNull())
      out.getRoot().replaceKey(key, copy_foreign(out, value));
}

void state_info(QPDF& out, const DocumentInfo& info, const Conformance& conformance) {
  auto dict = QPDFObjectHandle::newDictionary();
  const std::pair<const char*, const std::string*> strings[] = {
      {"/Title", &info.title},       {"/Author", &info.author},     {"/Subject", &info.subject},
      {"/Keywords", &info.keywords}, {"/Creator", &info.creator},   {"/Producer", &info.producer},
  };
  for (const auto& [key, value] : strings)
    if (!value->empty()) dict.replaceKey(key, QPDFObjectHandle::newUnicodeString(*value));
  if (info.time) {
    dict.replaceKey("/CreationDate", QPDFObjectHandle::newString(pdf_date(*info.time)));
    dict.replaceKey("/ModDate", QPDFObjectHandle::newString(pdf_date(*info.time)));
  }
  out.getTrailer().replaceKey("/Info", out.makeIndirectObject(dict));
  auto metadata = QPDFObjectHandle::newStream(&out, xmp_packet(info, conformance));
  metadata.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
  metadata.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
  out.getRoot().replaceKey("/Metadata", metadata);
}

}  // namespace cp::render
