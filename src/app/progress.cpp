#include "app/progress.h"

#include <fmt/format.h>

#include <cmath>

namespace cp::app {

namespace {
// At most this many redraws of the live line per second: a terminal is slow
// next to a pack that takes milliseconds.
constexpr double kRedrawInterval = 0.1;
}  // namespace

std::string format_duration(double seconds) {
  const long long s = seconds > 0 ? static_cast<long long>(std::llround(seconds)) : 0;
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string live_progress_line(std::size_t done, std::size_t total, const std::string& current, double elapsed) {
  std::string line = fmt::format("[{}/{}]", done, total);
  if (!current.empty()) line += " " + current;
  line += fmt::format("  {} elapsed", format_duration(elapsed));
  if (done > 0 && done < total) {
    const double left = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    line += fmt::format(", about {} left", format_duration(left));
  }
  return line;
}

Progress::Progress(Mode mode, std::size_t total, std::ostream& lines, std::ostream& live, Clock clock)
    : mode_(mode), total_(total), lines_(lines), live_(live), clock_(std::move(clock)) {}

Progress::Mode Progress::mode_for(bool quiet, bool stderr_is_terminal) {
  if (quiet) return Mode::Quiet;
  return stderr_is_terminal ? Mode::Live : Mode::Lines;
}

Progress::Clock Progress::steady_clock_since(std::chrono::steady_clock::time_point start) {
  return [start] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
}

void Progress::started(const std::string& pack) {
  if (mode_ != Mode::Live) return;
  std::lock_guard lock(mutex_);
  current_ = pack;
  draw_live(false);
}

void Progress::finished(const std::string& pack, bool ok) {
  if (mode_ == Mode::Quiet) return;
  std::lock_guard lock(mutex_);
  ++done_;
  if (!ok) ++failed_;
  if (mode_ == Mode::Lines) {
    lines_ << fmt::format("[{}/{}] {} {}\n", done_, total_, pack, ok ? "built" : "FAILED") << std::flush;
    return;
  }
  if (!ok) {
    // A failure stays on screen: clear the live line, print it, redraw.
    live_ << "\r\033[K" << fmt::format("[{}/{}] {} FAILED\n", done_, total_, pack);
    drawn_ = false;
  }
  draw_live(done_ == total_);
}

void Progress::close() {
  if (mode_ != Mode::Live) return;
  std::lock_guard lock(mutex_);
  if (drawn_) live_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void Progress::draw_live(bool force) {
  const double now = clock_();
  if (!force && drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  drawn_ = true;
  // \r back to the start of the line, \033[K clears what the last draw left.
  live_ << '\r' << live_progress_line(done_, total_, current_, now) << "\033[K" << std::flush;
}

}  // namespace cp::app
