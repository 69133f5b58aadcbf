#include "content/process.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

using namespace cp::content;

namespace {

SystemProcessRunner make_runner() {
  const char* path = std::getenv("PATH");
  return SystemProcessRunner(path ? path : "");
}

ProcessRequest request(std::vector<std::string> argv, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  ProcessRequest r;
  r.argv = std::move(argv);
  r.timeout = timeout;
  return r;
}

// No child of ours is left, not even a zombie.
bool no_children_left() { return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD; }

}  // namespace

TEST_CASE("process: stdout, stderr and exit codes", "[process]") {
  auto runner = make_runner();
  auto r = runner.run(request({"sh", "-c", "printf out; printf err >&2; exit 7"}));
  CHECK(r.status == ProcessStatus::Exited);
  CHECK(r.exit_code == 7);
  CHECK(r.out == "out");
  CHECK(r.err == "err");
  CHECK_FALSE(r.ok());

  r = runner.run(request({"true"}));
  CHECK(r.ok());
  CHECK(r.exit_code == 0);
  r = runner.run(request({"false"}));
  CHECK(r.status == ProcessStatus::Exited);
  CHECK(r.exit_code == 1);
  CHECK(no_children_left());
}

TEST_CASE("process: arguments are passed as they are, never through a shell", "[process]") {
  auto runner = make_runner();
  const auto r = runner.run(request({"printf", "%s|", "a b", "$HOME", "; rm -rf /", "*"}));
  CHECK(r.ok());
  CHECK(r.out == "a b|$HOME|; rm -rf /|*|");
}

TEST_CASE("process: stdin is written and closed", "[process]") {
  auto runner = make_runner();
  auto req = request({"cat"});
  req.stdin_bytes = "hej på dig\n";
  const auto r = runner.run(req);
  CHECK(r.ok());
  CHECK(r.out == "hej på dig\n");
}

TEST_CASE("process: 10 MB through stdin and stdout at once without deadlock", "[process]") {
  auto runner = make_runner();
  auto req = request({"cat"});
  req.stdin_bytes.resize(10u * 1024u * 1024u);
  for (std::size_t i = 0; i < req.stdin_bytes.size(); ++i) req.stdin_bytes[i] = static_cast<char>('a' + i % 26);
  const auto r = runner.run(req);
  REQUIRE(r.ok());
  CHECK(r.out.size() == req.stdin_bytes.size());
  CHECK(r.out == req.stdin_bytes);

  // Large output on both streams while nothing is read from stdin.
  const auto both = runner.run(request({"sh", "-c", "head -c 10485760 /dev/zero; head -c 3000000 /dev/zero >&2"}));
  REQUIRE(both.ok());
  CHECK(both.out.size() == 10485760u);
  CHECK(both.err.size() == 3000000u);
}

TEST_CASE("process: a child that stops reading stdin does not kill us with SIGPIPE", "[process]") {
  auto runner = make_runner();
  auto req = request({"head", "-c", "10"});
  req.stdin_bytes.assign(8u * 1024u * 1024u, 'x');
  const auto r = runner.run(req);
  CHECK(r.ok());
  CHECK(r.out == std::string(10, 'x'));
}

TEST_CASE("process: the timeout kills the child and reaps it", "[process]") {
  auto runner = make_runner();
  const auto start = std::chrono::steady_clock::now();
  const auto r = runner.run(request({"sleep", "10"}, std::chrono::milliseconds(300)));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(r.status == ProcessStatus::TimedOut);
  CHECK(r.timed_out());
  CHECK(elapsed < std::chrono::seconds(3));
  CHECK(elapsed >= std::chrono::milliseconds(300));
  CHECK(no_children_left());
}

TEST_CASE("process: the timeout also ends grandchildren holding the pipes", "[process]") {
  auto runner = make_runner();
  const auto start = std::chrono::steady_clock::now();
  const auto r = runner.run(request({"sh", "-c", "sleep 10 & sleep 10"}, std::chrono::milliseconds(300)));
  CHECK(r.status == ProcessStatus::TimedOut);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  CHECK(no_children_left());
}

TEST_CASE("process: a child that exits leaves no grandchild holding its stdout", "[process]") {
  auto runner = make_runner();
  // The grandchild keeps stdout open and writes its pid; the run must end
  // when the child does (not at the timeout), with the child's output and
  // status, and the grandchild killed with the group.
  const auto r = runner.run(request({"sh", "-c", "sleep 1000 & echo $!; echo done; exit 3"}, std::chrono::seconds(60)));
  CHECK(r.status == ProcessStatus::Exited);
  CHECK(r.exit_code == 3);
  const auto newline = r.out.find('\n');
  REQUIRE(newline != std::string::npos);
  CHECK(r.out.substr(newline) == "\ndone\n");
  const std::string grandchild = r.out.substr(0, newline);
  // Killed (SIGKILL is delivered asynchronously; allow it 2 s): gone, or at
  // most a zombie waiting for init to reap it.
  auto state_of = [](const std::string& pid) {
    std::string state;
    if (FILE* f = std::fopen(("/proc/" + pid + "/stat").c_str(), "r")) {
      char buf[512] = {};
      const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
      std::fclose(f);
      const std::string stat(buf, n);
      const auto paren = stat.rfind(')');
      if (paren != std::string::npos && paren + 2 < stat.size()) state = stat.substr(paren + 2, 1);
    }
    return state;
  };
  std::string state = state_of(grandchild);
  for (int i = 0; i < 200 && !(state.empty() || state == "Z"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    state = state_of(grandchild);
  }
  INFO("grandchild " << grandchild << " state " << state);
  CHECK((state.empty() || state == "Z"));
  CHECK(no_children_left());
}

TEST_CASE("process: output beyond the limit kills the child", "[process]") {
  auto runner = make_runner();
  auto req = request({"head", "-c", "5000000", "/dev/zero"});
  req.max_output = 1u << 20;
  const auto r = runner.run(req);
  CHECK(r.status == ProcessStatus::OutputTooLarge);
  CHECK(r.error == "wrote more than 1 MB of output");
  CHECK(no_children_left());
}

TEST_CASE("process: a missing executable is NotFound, not a crash", "[process]") {
  auto runner = make_runner();
  auto r = runner.run(request({"coursepack-no-such-program-xyz"}));
  CHECK(r.status == ProcessStatus::NotFound);
  CHECK(r.error == "not found on PATH");
  CHECK(describe(r, "coursepack-no-such-program-xyz") == "coursepack-no-such-program-xyz: not found on PATH");
  r = runner.run(request({"/nonexistent/bin/pandoc"}));
  CHECK(r.status == ProcessStatus::NotFound);
  r = runner.run(request({}));
  CHECK(r.status == ProcessStatus::StartFailed);
}

TEST_CASE("process: a child killed by a signal", "[process]") {
  auto runner = make_runner();
  const auto r = runner.run(request({"sh", "-c", "kill -TERM $$"}));
  CHECK(r.status == ProcessStatus::Signaled);
  CHECK(r.exit_code == 128 + 15);
}

TEST_CASE("process: the child's environment is scrubbed", "[process]") {
  ::setenv("COURSEPACK_SECRET_TEST", "leak", 1);
  auto runner = make_runner();
  const auto r = runner.run(request({"env"}));
  ::unsetenv("COURSEPACK_SECRET_TEST");
  REQUIRE(r.ok());
  CHECK(r.out.find("COURSEPACK_SECRET_TEST") == std::string::npos);
  CHECK(r.out.find("LANG=C.UTF-8\n") != std::string::npos);
  CHECK(r.out.find("HOME=/nonexistent\n") != std::string::npos);
  CHECK(r.out.find("PATH=") != std::string::npos);

  auto req = request({"env"});
  req.env = {"PATH=/usr/bin:/bin", "ONLY=this"};
  const auto custom = runner.run(req);
  CHECK(custom.out == "PATH=/usr/bin:/bin\nONLY=this\n");
}
