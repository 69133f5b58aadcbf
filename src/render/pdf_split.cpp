// The page splitter: split_pages, and its direct path for the renderer's own files.
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
      // The identifiers of the elements the page keeps (a footnote's), in
      // the source tree's order, which is sorted.
      std::string names;
      for (const auto& [id, e] : cut->ids)
        if (const auto it = renumbered.find(e); it != renumbered.end() && it->second > 0)
          names += std::string(" ") + std::string(id) + ' ' + ref(e);
      out += std::to_string(next) + " 0 obj\n<<\n/Type /StructTreeRoot\n/K " + std::to_string(next + 1) +
             " 0 R\n/ParentTree " + std::to_string(next + 2) + " 0 R\n/ParentTreeNextKey " +
             std::to_string(next_key) + "\n" + (names.empty() ? std::string() : "/IDTree << /Names [" + names + " ] >>\n") +
             ">>\nendobj\n";
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
    // The source's ID tree: each identifier (its string token, as written)
    // and its element, in the tree's order.
    std::vector<std::pair<std::string_view, long>> ids;
  };

  // The renderer's ID tree: one flat /Names array of strings and element
  // references; false for any other shape.
  bool read_id_tree(const Object& root, Cut& cut) {
    const auto span = Reader::value_span(root, "/IDTree");
    if (!span) return true;
    const Object* holder = &root;
    std::size_t first = span->first, last = span->last;
    if (last - first == 3 && root.tokens[last - 1].text == "R") {
      holder = object(Reader::ref_after(root.tokens, "/IDTree"));
      if (!holder) return false;
      first = 0;
      last = holder->tokens.size();
    }
    const auto& tok = holder->tokens;
    if (last - first < 2 || tok[first].text != "<<" || tok[last - 1].text != ">>") return false;
    std::size_t k = first + 1;
    if (k >= last || tok[k].text != "/Names" || k + 1 >= last || tok[k + 1].text != "[") return false;
    k += 2;
    while (k < last && tok[k].text != "]") {
      const std::string_view id = tok[k].text;
      if (id.empty() || (id[0] != '(' && id[0] != '<') || k + 3 >= last || tok[k + 3].text != "R") return false;
      const auto n = Reader::number(tok[k + 1].text);
      if (!n) return false;
      cut.ids.emplace_back(id, *n);
      k += 4;
    }
    return k + 2 == last;  // "]" and ">>": nothing else in the tree
  }

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
    for (std::string_view key : {"/RoleMap", "/ClassMap"})
      if (Reader::has_key(root->tokens, key)) return std::nullopt;
    if (!read_id_tree(*root, cut)) return std::nullopt;
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

SplitResult split_pages(const std::string& pdf) {
  SplitResult direct = split_pages_direct(pdf);
  return direct.ok ? direct : split_pages_qpdf(pdf);
}

}  // namespace cp::render
