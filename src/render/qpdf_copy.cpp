#include "render/qpdf_copy.h"

#include <cstdio>
#include <ctime>

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

void state_info(QPDF& out, const DocumentInfo& info) {
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
  auto metadata = QPDFObjectHandle::newStream(&out, xmp_packet(info, Conformance{}));
  metadata.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
  metadata.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
  out.getRoot().replaceKey("/Metadata", metadata);
}

DocumentInfo info_of(QPDF& source) {
  DocumentInfo info;
  auto string = [&](QPDFObjectHandle dict, const char* key) {
    auto value = dict.isDictionary() ? dict.getKey(key) : QPDFObjectHandle::newNull();
    return value.isString() ? value.getUTF8Value() : std::string();
  };
  const auto dict = source.getTrailer().getKey("/Info");
  info.title = string(dict, "/Title");
  info.author = string(dict, "/Author");
  info.subject = string(dict, "/Subject");
  info.keywords = string(dict, "/Keywords");
  info.creator = string(dict, "/Creator");
  info.producer = string(dict, "/Producer");
  info.language = string(source.getRoot(), "/Lang");
  const std::string date = string(dict, "/CreationDate");
  std::tm tm{};
  if (date.size() >= 16 && std::sscanf(date.c_str(), "D:%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    info.time = static_cast<long long>(timegm(&tm));
  }
  return info;
}

}  // namespace cp::render
