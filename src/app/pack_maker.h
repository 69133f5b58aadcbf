// One pack of `coursepack build`: its documents rendered, handout.html taken
// from the pages Pandoc converted, print.pdf, the manifest, all staged in a
// temporary folder for the build job to commit.
#pragma once

#include <cstddef>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/outcome.h"
#include "content/document.h"
#include "content/process.h"
#include "core/diagnostics.h"
#include "core/file_store.h"
#include "documents/handout.h"
#include "export/html.h"
#include "export/html_pages.h"
#include "export/manifest.h"
#include "layout/hyphenate.h"
#include "layout/paragraph.h"
#include "model/model.h"
#include "pack/pack.h"
#include "render/pdf.h"

namespace cp::app {

// The visit a pack is for.
struct PackJob {
  const model::Municipality* municipality;
  const model::Visit* visit;
};

// What every pack of a build shares, made once by the build job.
struct PackShared {
  const model::Programme* programme = nullptr;
  std::map<std::string, doc::Module> modules;     // by path relative to materials/
  std::map<std::string, doc::Blocks> local_notes;  // the municipalities' own notes, by slug
  std::unique_ptr<layout::Hyphenator> hyphenator;
  // The handouts' paragraphs, set once for all packs of the build.
  std::unique_ptr<layout::ParagraphCache> paragraphs = std::make_unique<layout::ParagraphCache>();
  render::PdfOptions pdf;
  // Images: read once, hashed, sized and drawn from the same bytes.
  std::unique_ptr<files::FileStore> file_store = std::make_unique<files::FileStore>();
  long long calendar_stamp = 0;  // DTSTAMP of the calendar entries
  std::filesystem::path out;
  std::unique_ptr<content::ProcessRunner> runner;  // safe to share between threads
  std::string pandoc;
  std::string pandoc_version;              // Pandoc's version line
  std::unique_ptr<html::HtmlPages> html;  // handout.html's converted blocks
  // Pandoc converts handout.html's blocks while the packs' PDFs are made;
  // a pack waits for it only when it takes its page. Empty when it went
  // well, else the error.
  std::shared_future<std::string> html_converted;
};

// Files of a pack with their manifest entries, in manifest order, and the
// first problem met making them.
struct PackFiles {
  Outcome outcome;
  int pages = 0;
  std::vector<pack::OutputFile> files;
  std::vector<manifest::Output> outputs;

  void add(const std::string& name, std::string bytes, std::optional<std::size_t> pages_in_file);
  // Certificate `number` (1-based) as `name`: listed in the manifest by its
  // number, not by its file name, which is made from the participant's name.
  void add_certificate(std::size_t number, const std::string& name, std::string bytes);
  // Renders; the bytes are also returned for callers that split them.
  std::string add_pdf(const PackShared& s, const PackJob& job, const std::string& name, const layout::Document& d,
                      Diagnostics& diags);
  // Keeps the first problem only.
  void fail(Outcome problem);
  bool ok() const { return outcome.ok(); }
};

// A pack made and staged (when its outcome is ok).
struct StagedResult {
  Outcome outcome;
  int pages = 0;
  pack::StagedPack staged;
};

// The handout's input for a visit: every module and the municipality's
// notes tailored to it.
documents::HandoutInput handout_input(const PackShared& s, const PackJob& job);

// handout.html's title and how its images are found.
html::HtmlMeta html_meta(const PackShared& s, const PackJob& job);

// The documents of a pack that do not depend on the course texts: the
// evaluation form, the attendance sheet, the certificates and the
// trainer's brief. They can be made while Pandoc still reads the texts.
PackFiles make_documents(const PackShared& s, const PackJob& job, Diagnostics& diags);

// The rest of a pack (handout.pdf and handout.html, print.pdf), then the
// manifest, staged in a temporary folder.
StagedResult make_pack(const PackShared& s, const PackJob& job, std::size_t html_page, PackFiles documents,
                       const std::vector<std::pair<std::string, std::string>>& inputs, const std::string& inputs_hash,
                       Diagnostics& diags);

}  // namespace cp::app
