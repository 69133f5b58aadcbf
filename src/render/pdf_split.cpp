#include "render/pdf_split.h"

#include "render/archive.h"
#include "render/own_pdf.h"
#include "render/qpdf_copy.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

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

// ---- the direct path --------------------------------------------------------

using own::Object;
using own::Reader;
using own::Reference;

class Source {
 public:
  explicit Source(std::string_view pdf) : reader_(pdf) {}

  bool read() { return reader_.read(); }
  std::size_t page_count() const { return reader_.pages().size(); }

  // One page as a PDF of its own, or nothing if the page reaches what this
  // reader does not copy (another page, the page tree, the catalog).
  std::optional<std::string> page(std::size_t index) {
    const long page_obj = reader_.pages()[index];
    const long info = reader_.info();
    const std::string_view lang = reader_.lang();
    const std::string_view pdf = reader_.bytes();
    std::vector<long> order;           // old object numbers in output order
    std::map<long, long> renumbered;   // old → new
    constexpr long kFirst = 3;         // 1 catalog, 2 pages
    auto visit = [&](long n) -> bool {
      if (renumbered.count(n)) return true;
      if (n != page_obj && reader_.in_tree(n)) return false;  // another page, the page tree, the catalog
      renumbered[n] = kFirst + static_cast<long>(order.size());
      order.push_back(n);
      return true;
    };
    if (info > 0 && !visit(info)) return std::nullopt;
    // The catalog entries every one-page file keeps: its archival metadata.
    const Object* catalog = object(reader_.root());
    if (!catalog) return std::nullopt;
    // A tagged file: the page keeps the elements below the Document whose
    // content is all on it (a certificate's section); anything else is
    // left to the qpdf path.
    std::optional<Cut> cut;
    if (Reader::value_span(*catalog, "/StructTreeRoot")) {
      cut = cut_structure(page_obj);
      if (!cut) return std::nullopt;
      for (long n : {cut->root, cut->document}) renumbered[n] = -1;  // written anew, not copied
      for (long top : cut->tops)
        if (!visit(top)) return std::nullopt;
    }
    std::vector<std::pair<std::string_view, own::Span>> carried;
    for (std::string_view key : {"/Metadata", "/OutputIntents", "/ViewerPreferences"})
      if (const auto span = Reader::value_span(*catalog, key)) carried.emplace_back(key, *span);
    for (const auto& [key, span] : carried)
      for (const Reference& r : catalog->refs)
        if (r.begin >= span.begin && r.end <= span.end && !visit(r.object)) return std::nullopt;
    if (!visit(page_obj)) return std::nullopt;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const Object* o = object(order[k]);
      if (!o) return std::nullopt;
      for (const Reference& r : o->refs)
        if (!(r.parent && order[k] == page_obj) && !visit(r.object)) return std::nullopt;
    }
    const long next = kFirst + static_cast<long>(order.size());  // the new structure objects
    if (cut) {
      renumbered[cut->root] = next;
      renumbered[cut->document] = next + 1;
      for (const auto& [key, owners] : cut->parents)
        for (long e : owners)
          if (!renumbered.count(e) || renumbered[e] < 0) return std::nullopt;  // an element not copied
    }

    std::string out(pdf.substr(0, pdf.find('\n') + 1));
    out += "%\xB7\xBE\xAD\xAA\n";
    std::vector<std::size_t> offsets;
    offsets.push_back(out.size());
    out += "1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n";
    if (!lang.empty()) {
      out += "/Lang ";
      out += lang;
      out += '\n';
    }
    for (const auto& [key, span] : carried) {
      out += key;
      out += ' ';
      std::size_t at = span.begin;
      for (const Reference& r : catalog->refs) {
        if (r.begin < span.begin || r.end > span.end) continue;
        out.append(pdf.substr(at, r.begin - at));
        out += std::to_string(renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf.substr(at, span.end - at));
      out += '\n';
    }
    if (cut) out += "/StructTreeRoot " + std::to_string(next) + " 0 R\n/MarkInfo << /Marked true >>\n";
    out += ">>\nendobj\n";
    offsets.push_back(out.size());
    out += "2 0 obj\n<<\n/Type /Pages\n/Kids [ ";
    out += std::to_string(renumbered[page_obj]);
    out += " 0 R ]\n/Count 1\n>>\nendobj\n";
    for (long old : order) {
      const Object& o = *object(old);
      offsets.push_back(out.size());
      out += std::to_string(renumbered[old]);
      out += " 0 obj";
      std::size_t at = o.body;
      for (const Reference& r : o.refs) {
        out.append(pdf.substr(at, r.begin - at));
        out += std::to_string(r.parent && old == page_obj ? 2 : renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf.substr(at, o.end - at));
      out += "endobj\n";
    }
    if (cut) {
      auto ref = [&](long old) { return std::to_string(renumbered.at(old)) + " 0 R"; };
      std::string nums;
      long next_key = 0;
      for (const auto& [key, owners] : cut->parents) {
        nums += ' ' + std::to_string(key) + ' ';
        if (owners.size() == 1 && key != cut->page_key) {
          nums += ref(owners[0]);
        } else {
          nums += '[';
          for (long e : owners) nums += ' ' + ref(e);
          nums += " ]";
        }
        next_key = key + 1;
      }
      offsets.push_back(out.size());
      out += std::to_string(next) + " 0 obj\n<<\n/Type /StructTreeRoot\n/K " + std::to_string(next + 1) +
             " 0 R\n/ParentTree " + std::to_string(next + 2) + " 0 R\n/ParentTreeNextKey " +
             std::to_string(next_key) + "\n>>\nendobj\n";
      offsets.push_back(out.size());
      out += std::to_string(next + 1) + " 0 obj\n<<\n/S /Document\n/P " + std::to_string(next) + " 0 R\n/K [";
      for (long top : cut->tops) out += ' ' + ref(top);
      out += " ]\n>>\nendobj\n";
      offsets.push_back(out.size());
      out += std::to_string(next + 2) + " 0 obj\n<<\n/Nums [" + nums + " ]\n>>\nendobj\n";
    }
    const std::size_t xref = out.size();
    const std::size_t size = offsets.size() + 1;
    out += "xref\n0 " + std::to_string(size) + "\n0000000000 65535 f\r\n";
    for (std::size_t off : offsets) {
      char entry[24];
      std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", off);
      out += entry;
    }
    out += "trailer\n<<\n/Root 1 0 R\n";
    if (info > 0) out += "/Info " + std::to_string(renumbered[info]) + " 0 R\n";
    out += std::string("/ID [<") + kIdPlaceholder + "><" + kIdPlaceholder + ">]\n";
    out += "/Size " + std::to_string(size) + "\n>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    // Its small objects compressed, as the renderer's are.
    auto packed = own::pack_objects(out);
    if (!packed) return std::nullopt;
    out = std::move(*packed);
    if (!stamp_file_id(out)) return std::nullopt;
    return out;
  }

 private:
  const Object* object(long n) { return reader_.object(n); }

  // A page's part of the structure tree: the elements right below the
  // Document that hold its content (in the Document's order) and its
  // parent-tree entries, by key.
  struct Cut {
    long root = -1, document = -1;
    long page_key = -1;
    std::vector<long> tops;
    std::map<long, std::vector<long>> parents;
  };

  // The number tree of the renderer's files: one flat /Nums array of keys
  // and an element or an array of elements each; read once.
  bool read_parent_tree(long tree) {
    if (parents_read_) return !parents_.empty();
    parents_read_ = true;
    const Object* t = object(tree);
    if (!t) return false;
    const auto& tok = t->tokens;
    std::size_t k = 0;
    while (k < tok.size() && tok[k].text != "/Nums") ++k;
    if (k + 1 >= tok.size() || tok[k + 1].text != "[") return false;
    k += 2;
    auto ref_at = [&](std::size_t at) -> long {
      if (at + 2 >= tok.size() || tok[at + 2].text != "R") return -1;
      const auto n = Reader::number(tok[at].text);
      return n ? *n : -1;
    };
    while (k < tok.size() && tok[k].text != "]") {
      const auto key = Reader::number(tok[k].text);
      if (!key || k + 1 >= tok.size()) return false;
      std::vector<long>& owners = parents_[*key];
      if (tok[k + 1].text == "[") {
        k += 2;
        while (k < tok.size() && tok[k].text != "]") {
          const long e = ref_at(k);
          if (e < 0) return false;
          owners.push_back(e);
          k += 3;
        }
        ++k;
      } else {
        const long e = ref_at(k + 1);
        if (e < 0) return false;
        owners.push_back(e);
        k += 4;
      }
    }
    return !parents_.empty();
  }

  std::optional<Cut> cut_structure(long page_obj) {
    Cut cut;
    const Object* catalog = object(reader_.root());
    cut.root = Reader::ref_after(catalog->tokens, "/StructTreeRoot");
    const Object* root = object(cut.root);
    if (!root) return std::nullopt;
    for (std::string_view key : {"/RoleMap", "/ClassMap", "/IDTree"})
      if (Reader::has_key(root->tokens, key)) return std::nullopt;
    cut.document = Reader::ref_after(root->tokens, "/K");
    const Object* document = object(cut.document);
    if (!document || !read_parent_tree(Reader::ref_after(root->tokens, "/ParentTree"))) return std::nullopt;
    // The Document element carries nothing of its own but its kids.
    for (const auto& t : document->tokens)
      if (!t.text.empty() && t.text[0] == '/' && t.text != "/S" && t.text != "/Document" && t.text != "/P" &&
          t.text != "/K")
        return std::nullopt;
    const Object* page = object(page_obj);
    if (!page) return std::nullopt;
    std::vector<long> keys;
    if (const auto key = Reader::number(Reader::value_after(page->tokens, "/StructParents"))) {
      cut.page_key = *key;
      keys.push_back(*key);
    }
    // The page's annotations and their keys.
    const auto annots = Reader::array_refs(page->tokens, "/Annots");
    if (!annots) return std::nullopt;
    for (long n : *annots) {
      const Object* annot = object(n);
      if (!annot) return std::nullopt;
      if (const auto key = Reader::number(Reader::value_after(annot->tokens, "/StructParent"))) keys.push_back(*key);
    }
    std::set<long> tops;
    for (long key : keys) {
      const auto it = parents_.find(key);
      if (it == parents_.end()) return std::nullopt;
      cut.parents[key] = it->second;
      for (long e : it->second) {
        // Up to the element right below the Document.
        long at = e;
        for (int depth = 0; depth < 256; ++depth) {
          const Object* o = object(at);
          if (!o || at == cut.document) return std::nullopt;
          const long parent = Reader::ref_after(o->tokens, "/P");
          if (parent == cut.document) break;
          at = parent;
        }
        tops.insert(at);
      }
    }
    for (const Reference& r : document->refs)
      if (tops.count(r.object)) cut.tops.push_back(r.object);
    if (cut.tops.size() != tops.size()) return std::nullopt;
    return cut;
  }

  Reader reader_;
  std::map<long, std::vector<long>> parents_;
  bool parents_read_ = false;
};

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

SplitResult split_pages_direct(const std::string& pdf) {
  SplitResult result;
  Source source(pdf);
  if (!source.read()) {
    result.error = "not a PDF this splitter reads";
    return result;
  }
  result.pages.reserve(source.page_count());
  for (std::size_t i = 0; i < source.page_count(); ++i) {
    auto page = source.page(i);
    if (!page) {
      result.pages.clear();
      result.error = "page " + std::to_string(i + 1) + " refers to objects this splitter does not copy";
      return result;
    }
    result.pages.push_back(std::move(*page));
  }
  result.ok = true;
  return result;
}

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

SplitResult split_pages(const std::string& pdf) {
  SplitResult direct = split_pages_direct(pdf);
  return direct.ok ? direct : split_pages_qpdf(pdf);
}

}  // namespace cp::render
