#include "support/command.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace cp::test {

namespace fs = std::filesystem;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

Command run(const std::string& command) {
  static const fs::path dir = make_temp_dir("coursepack-test-command");
  static int counter = 0;
  const fs::path err = dir / ("stderr-" + std::to_string(++counter));
  // A subshell, so the command's own redirections (2>&1 included) keep
  // their meaning and only what is left on stderr goes to the file.
  const std::string line = "( " + command + "\n) 2> " + quote(err.string());
  Command c;
  FILE* f = popen(line.c_str(), "r");
  REQUIRE(f != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) c.out.append(buf, n);
  const int st = pclose(f);
  c.status = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream in(err, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  c.err = s.str();
  std::error_code ec;
  fs::remove(err, ec);
  return c;
}

}  // namespace cp::test
