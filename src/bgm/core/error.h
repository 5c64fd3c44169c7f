#pragma once
// The project's one error type for bad input and failed runs. Its message is a single line that
// names the file or option, the offending value and what was expected; main() prints it and exits
// non-zero. Tensor preconditions inside the library use TORCH_CHECK instead.
#include <stdexcept>
#include <string>

namespace bgm {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A study that wrote its summary and report with some runs failed (diverged, or not run because
/// their start failed). main() exits with kIncompleteExitCode, so that a script or a scheduler's
/// afterok sees it; the message names each failed run.
class StudyIncomplete : public Error {
 public:
  using Error::Error;
};
inline constexpr int kIncompleteExitCode = 3;

/// Builds "WHERE: got VALUE, expected EXPECTED" so every message has the same three parts.
inline Error input_error(const std::string& where, const std::string& value,
                         const std::string& expected) {
  return Error(where + ": got " + value + ", expected " + expected);
}

}  // namespace bgm
