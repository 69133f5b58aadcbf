// Pandoc's JSON AST → the project's document tree (content/document.h).
//
// Supported: pandoc-types API 1.22 (pandoc 2.11 to 2.19) and 1.23 (pandoc
// 3.x). Any other version is refused with a message naming these. The input
// is untrusted: malformed JSON or an unexpected shape is an error result,
// never a crash or an escaping exception.
#pragma once

#include <string>
#include <string_view>

#include "content/document.h"
#include "core/diagnostics.h"

namespace cp::content {

// What went wrong, so that `app` can choose the exit status: input errors
// (exit 1) are also reported to the Diagnostics with their location;
// environment errors (exit 3: Pandoc missing, too old, unusable output) are
// only in the result's message.
enum class Status { Ok, InputError, EnvironmentError };

// For messages: the API versions this build reads.
inline constexpr std::string_view kSupportedPandocApi =
    "pandoc-types API 1.22 (pandoc 2.11 to 2.19) and 1.23 (pandoc 3.x)";

// Nesting deeper than this (block quotes in lists in notes ...) is an input
// error; it bounds every recursion over the tree in later stages too.
inline constexpr int kMaxNesting = 100;

struct Conversion {
  Status status = Status::Ok;
  std::string message;  // when not Ok: one English line
  doc::Module module;   // module.path = the options' path
};

struct ConvertOptions {
  // Location of the whole text: `path` for every node; `line`/`col` are used
  // as they are when `source` is empty.
  SourceLoc base;
  // The Markdown Pandoc read. When given, blocks and raw snippets get the
  // line they were found on (Pandoc's JSON carries no positions; lines are
  // found by searching the source in document order, so they are close,
  // not guaranteed).
  std::string_view source;
};

// Converts one Pandoc JSON document. Warnings (raw HTML/LaTeX dropped,
// images in running text, unknown elements) go to `diags`. An input error
// (nesting too deep) is also reported to `diags`; a malformed or
// unsupported document is an EnvironmentError (it is Pandoc's output).
Conversion convert_pandoc_json(std::string_view json, const ConvertOptions& options, Diagnostics& diags);

}  // namespace cp::content
