// The page splitter's qpdf path: any PDF, its structure tree cut per page
// (split_pages_qpdf).
#include "render/pdf_split.h"

#include "render/archive.h"
#include "render/own_pdf.h"
#include "render/qpdf_copy.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace cp::render {

namespace {

// ---- qpdf ---------------------------------------------------------------------

std::vector<QPDFObjectHandle> kids_of(QPDFObjectHandle elem) {
  auto k = elem.getKey("/K");
  if (k.isArray()) return k.getArrayAsVector();
  if (k.isNull()) return {};
  return {k};
}

bool is_type(QPDFObjectHandle o, const char* type) {
  return o.isDictionary() && o.getKey("/Type").isName() && o.getKey("/Type").getName() == type;
}

// The part of `source`'s structure tree that its page `from` holds, as the
// structure tree of `out`, whose one page `to` is the copy of `from`: the
// elements with content on the page, their ancestors, and the elements
// among them that hold no content anywhere (an empty table cell); marked-
// content references and link annotations pointed at the copy; a parent
// tree of its own. Role and class maps are kept.
// Where each structure element of a file has content: the pages (and the
// link annotations) it and its descendants hold, read once per file.
class StructureIndex {
 public:
  struct Holds {
    std::set<QPDFObjGen> pages;  // pages with its content, and annotations it holds
    bool anywhere = false;
  };

  explicit StructureIndex(QPDF& source) {
    auto root = source.getRoot().getKey("/StructTreeRoot");
    if (root.isDictionary())
      for (auto& top : kids_of(root))
        if (top.isDictionary()) index(top, QPDFObjectHandle::newNull());
  }

  const Holds* find(QPDFObjectHandle elem) const {
    if (!elem.isIndirect()) return nullptr;
    auto it = holds_.find(elem.getObjGen());
    return it == holds_.end() ? nullptr : &it->second;
  }

 private:
  const Holds& index(QPDFObjectHandle elem, QPDFObjectHandle pg) {
    static const Holds kNone;
    if (!elem.isIndirect()) return kNone;
    const auto og = elem.getObjGen();
    if (auto it = holds_.find(og); it != holds_.end()) return it->second;
    Holds& h = holds_[og];  // std::map: stays put while kids are added
    if (auto own = elem.getKey("/Pg"); !own.isNull()) pg = own;
    for (auto& kid : kids_of(elem)) {
      if (kid.isInteger()) {
        h.anywhere = true;
        if (pg.isIndirect()) h.pages.insert(pg.getObjGen());
      } else if (is_type(kid, "/MCR")) {
        h.anywhere = true;
        auto kpg = kid.getKey("/Pg");
        if (kpg.isNull()) kpg = pg;
        if (kpg.isIndirect()) h.pages.insert(kpg.getObjGen());
      } else if (is_type(kid, "/OBJR")) {
        h.anywhere = true;
        if (auto obj = kid.getKey("/Obj"); obj.isIndirect()) h.pages.insert(obj.getObjGen());
      } else if (kid.isDictionary()) {
        const Holds& k = index(kid, pg);
        h.anywhere = h.anywhere || k.anywhere;
        h.pages.insert(k.pages.begin(), k.pages.end());
      }
    }
    return h;
  }

  std::map<QPDFObjGen, Holds> holds_;
};

class StructureCut {
 public:
  StructureCut(QPDF& source, const StructureIndex& index, QPDFObjectHandle from, QPDF& out, QPDFObjectHandle to)
      : source_(source), index_(index), from_(from.getObjGen()), out_(out), to_(to) {
    auto old_annots = from.getKey("/Annots"), new_annots = to.getKey("/Annots");
    if (old_annots.isArray() && new_annots.isArray())
      for (int i = 0; i < old_annots.getArrayNItems() && i < new_annots.getArrayNItems(); ++i)
        annots_[old_annots.getArrayItem(i).getObjGen()] = new_annots.getArrayItem(i);
  }

  void run() {
    auto root = source_.getRoot().getKey("/StructTreeRoot");
    if (!root.isDictionary()) return;
    auto new_root = out_.makeIndirectObject(QPDFObjectHandle::newDictionary());
    new_root.replaceKey("/Type", QPDFObjectHandle::newName("/StructTreeRoot"));
    auto kids = QPDFObjectHandle::newArray();
    for (auto& top : kids_of(root))
      if (top.isDictionary()) kids.appendItem(element(top, new_root, QPDFObjectHandle::newNull()));
    new_root.replaceKey("/K", kids);
    for (const char* key : {"/RoleMap", "/ClassMap"})
      if (auto v = root.getKey(key); !v.isNull()) new_root.replaceKey(key, copy_foreign(out_, v));
    // The parent tree: key 0 the page's MCIDs, then one key per link.
    auto nums = QPDFObjectHandle::newArray();
    auto mcids = QPDFObjectHandle::newArray();
    int next = 0;
    for (const auto& [mcid, elem] : mcid_parent_) {
      while (next < mcid) {
        mcids.appendItem(QPDFObjectHandle::newNull());
        ++next;
      }
      mcids.appendItem(elem);
      ++next;
    }
    nums.appendItem(QPDFObjectHandle::newInteger(0));
    nums.appendItem(out_.makeIndirectObject(mcids));
    to_.replaceKey("/StructParents", QPDFObjectHandle::newInteger(0));
    for (std::size_t i = 0; i < annot_parent_.size(); ++i) {
      nums.appendItem(QPDFObjectHandle::newInteger(static_cast<long long>(i) + 1));
      nums.appendItem(annot_parent_[i]);
    }
    auto tree = QPDFObjectHandle::newDictionary();
    tree.replaceKey("/Nums", nums);
    new_root.replaceKey("/ParentTree", out_.makeIndirectObject(tree));
    new_root.replaceKey("/ParentTreeNextKey",
                        QPDFObjectHandle::newInteger(static_cast<long long>(annot_parent_.size()) + 1));
    if (!ids_.empty()) {
      // The identifiers of the elements the page keeps, sorted as a name
      // tree's keys are.
      std::sort(ids_.begin(), ids_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      auto names = QPDFObjectHandle::newArray();
      for (const auto& [id, copy] : ids_) {
        names.appendItem(QPDFObjectHandle::newString(id));
        names.appendItem(copy);
      }
      auto id_tree = QPDFObjectHandle::newDictionary();
      id_tree.replaceKey("/Names", names);
      new_root.replaceKey("/IDTree", id_tree);
    }
    out_.getRoot().replaceKey("/StructTreeRoot", new_root);
    auto mark = QPDFObjectHandle::newDictionary();
    mark.replaceKey("/Marked", QPDFObjectHandle::newBool(true));
    out_.getRoot().replaceKey("/MarkInfo", mark);
  }

 private:
  bool on_page(QPDFObjectHandle pg) const { return pg.isIndirect() && pg.getObjGen() == from_; }

  // What an element holds: content on the page, content anywhere.
  struct Holds {
    bool here = false, anywhere = false;
  };
  Holds holds(QPDFObjectHandle elem, QPDFObjectHandle pg) {
    if (const auto* known = index_.find(elem)) {
      Holds h{false, known->anywhere};
      h.here = known->pages.count(from_) > 0;
      for (const auto& [annot, copy] : annots_) h.here = h.here || known->pages.count(annot) > 0;
      return h;
    }
    const auto og = elem.getObjGen();
    if (elem.isIndirect())
      if (auto it = memo_.find(og); it != memo_.end()) return it->second;
    if (auto own = elem.getKey("/Pg"); !own.isNull()) pg = own;
    Holds h;
    for (auto& kid : kids_of(elem)) {
      if (kid.isInteger()) {
        h.anywhere = true;
        h.here = h.here || on_page(pg);
      } else if (is_type(kid, "/MCR")) {
        h.anywhere = true;
        auto kpg = kid.getKey("/Pg");
        h.here = h.here || on_page(kpg.isNull() ? pg : kpg);
      } else if (is_type(kid, "/OBJR")) {
        h.anywhere = true;
        h.here = h.here || annots_.count(kid.getKey("/Obj").getObjGen());
      } else if (kid.isDictionary()) {
        const Holds k = holds(kid, pg);
        h.anywhere = h.anywhere || k.anywhere;
        h.here = h.here || k.here;
      }
    }
    if (elem.isIndirect()) memo_[og] = h;
    return h;
  }

  QPDFObjectHandle element(QPDFObjectHandle elem, QPDFObjectHandle parent, QPDFObjectHandle pg) {
    auto copy = out_.makeIndirectObject(QPDFObjectHandle::newDictionary());
    for (const auto& key : elem.getKeys()) {
      if (key == "/K" || key == "/P" || key == "/Pg") continue;
      copy.replaceKey(key, copy_foreign(out_, elem.getKey(key)));
    }
    copy.replaceKey("/P", parent);
    if (auto id = elem.getKey("/ID"); id.isString()) ids_.emplace_back(id.getStringValue(), copy);
    if (auto own = elem.getKey("/Pg"); !own.isNull()) {
      pg = own;
      if (on_page(own)) copy.replaceKey("/Pg", to_);
    }
    auto kids = QPDFObjectHandle::newArray();
    for (auto& kid : kids_of(elem)) {
      if (kid.isInteger()) {
        if (!on_page(pg)) continue;
        kids.appendItem(kid);
        mcid_parent_[static_cast<int>(kid.getIntValue())] = copy;
        if (elem.getKey("/Pg").isNull()) copy.replaceKey("/Pg", to_);
      } else if (is_type(kid, "/MCR")) {
        auto kpg = kid.getKey("/Pg");
        if (!on_page(kpg.isNull() ? pg : kpg)) continue;
        auto ref = QPDFObjectHandle::newDictionary();
        ref.replaceKey("/Type", QPDFObjectHandle::newName("/MCR"));
        ref.replaceKey("/Pg", to_);
        ref.replaceKey("/MCID", kid.getKey("/MCID"));
        kids.appendItem(ref);
        mcid_parent_[static_cast<int>(kid.getKey("/MCID").getIntValue())] = copy;
      } else if (is_type(kid, "/OBJR")) {
        auto it = annots_.find(kid.getKey("/Obj").getObjGen());
        if (it == annots_.end()) continue;
        auto ref = QPDFObjectHandle::newDictionary();
        ref.replaceKey("/Type", QPDFObjectHandle::newName("/OBJR"));
        ref.replaceKey("/Pg", to_);
        ref.replaceKey("/Obj", it->second);
        kids.appendItem(ref);
        annot_parent_.push_back(copy);
        it->second.replaceKey("/StructParent", QPDFObjectHandle::newInteger(static_cast<long long>(annot_parent_.size())));
      } else if (kid.isDictionary()) {
        const Holds h = holds(kid, pg);
        if (h.here || !h.anywhere) kids.appendItem(element(kid, copy, pg));
      }
    }
    copy.replaceKey("/K", kids);
    return copy;
  }

  QPDF& source_;
  const StructureIndex& index_;
  QPDFObjGen from_;
  QPDF& out_;
  QPDFObjectHandle to_;
  std::map<QPDFObjGen, QPDFObjectHandle> annots_;  // the page's annotations → their copies
  std::map<QPDFObjGen, Holds> memo_;
  std::map<int, QPDFObjectHandle> mcid_parent_;    // MCID → its element's copy
  std::vector<QPDFObjectHandle> annot_parent_;     // StructParent k + 1 → the link's element
  std::vector<std::pair<std::string, QPDFObjectHandle>> ids_;  // each copied element's /ID
};

std::string one_page(QPDF& source, const StructureIndex& index, QPDFPageObjectHelper& page) {
  QPDF out;
  out.emptyPDF();
  auto copy = out.copyForeignObject(page.getObjectHandle());
  QPDFPageDocumentHelper(out).addPage(copy, false);
  if (auto info = source.getTrailer().getKey("/Info"); info.isDictionary())
    out.getTrailer().replaceKey("/Info", out.copyForeignObject(info));
  copy_catalog_entries(source, out);
  StructureCut(source, index, page.getObjectHandle(), out, copy).run();

  QPDFWriter writer(out);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  // Streams are written as they come: the renderer compressed what is worth
  // compressing, and decoding or compressing again would cost what splitting
  // is meant to save.
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(false);
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setMinimumPDFVersion(source.getPDFVersion());
  writer.write();
  const auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

SplitResult split_pages_qpdf(const std::string& pdf) {
  SplitResult result;
  try {
    QPDF source;
    source.setSuppressWarnings(true);
    source.processMemoryFile("document", pdf.data(), pdf.size());
    auto pages = QPDFPageDocumentHelper(source).getAllPages();
    const StructureIndex index(source);
    result.pages.reserve(pages.size());
    for (auto& page : pages) result.pages.push_back(one_page(source, index, page));
    if (source.anyWarnings()) {
      result.pages.clear();
      result.error = "the PDF to split has damaged objects";
      return result;
    }
    result.ok = true;
  } catch (const std::exception& e) {
    result.pages.clear();
    result.error = std::string("cannot split the PDF into pages: ") + e.what();
  }
  return result;
}

}  // namespace cp::render
