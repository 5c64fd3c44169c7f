#include "bgm/study/run_store.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bgm/core/build_info.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/random.h"

namespace fs = std::filesystem;

namespace bgm {

RunLock::RunLock(const fs::path& file, const std::string& who) {
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw input_error(file.string(), std::string("a lock file that cannot be opened (") + std::strerror(errno) + ")",
                                 "a writable run directory");
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  fmt::print(stderr, "[{}] another process is making this run ({} is held); waiting for it\n", who, file.string());
  while (::flock(fd_, LOCK_EX) != 0)
    if (errno != EINTR) throw input_error(file.string(), std::string("a lock that cannot be taken (") + std::strerror(errno) + ")", "a lockable file");
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

RunStore::RunStore(fs::path root) : root_(std::move(root)) {}

RunLock RunStore::lock(const std::string& id, const std::string& who) const {
  fs::create_directories(dir(id));
  return RunLock(dir(id) / "lock", who);
}

std::string RunStore::run_id(const std::string& key, const nlohmann::json& identity) {
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '+'))
      throw Error("run key '" + key + "' has a character unfit for a directory name");
  // nlohmann::json keeps object keys sorted, so dump() is canonical.
  const std::string text = identity.dump();
  return fmt::format("{}-{:012x}", key, fnv1a64(text.data(), text.size()) >> 16);
}

bool RunStore::finished(const std::string& id) const {
  return fs::exists(dir(id) / "result.json") && fs::exists(weights(id));
}

nlohmann::json RunStore::result(const std::string& id) const {
  const fs::path path = dir(id) / "result.json";
  return parse_json(read_file(path), path.string(), "a result.json written by bgm (delete the run directory to redo the run)");
}

void RunStore::check_identity(const std::string& id, const nlohmann::json& identity) const {
  const fs::path path = dir(id) / "run.json";
  nlohmann::json old;
  try {
    old = nlohmann::json::parse(read_file(path)).at("identity");
  } catch (const nlohmann::json::exception&) {
    old = nullptr;
  }
  if (old != identity)
    throw input_error(path.string(), old.is_null() ? "no readable identity" : "a run with another configuration under the same name",
                      "the identity this run's name was made from (delete the directory " + dir(id).string() + " to redo it)");
}

void RunStore::begin(const std::string& id, const nlohmann::json& identity) const {
  const fs::path path = dir(id) / "run.json";
  if (fs::exists(path)) check_identity(id, identity);
  fs::remove(dir(id) / "failed.json");  // tried again: it resumes from its last good checkpoint
  write_json_atomic(path, nlohmann::json{{"id", id}, {"identity", identity}, {"build", build_info_json()}});
}

void RunStore::finish(const std::string& id, const nlohmann::json& result) const {
  write_json_atomic(dir(id) / "result.json", result);
}

nlohmann::json RunStore::failure(const std::string& id) const {
  const fs::path path = dir(id) / "failed.json";
  if (!fs::exists(path)) return nullptr;
  return parse_json(read_file(path), path.string(), "a failed.json written by bgm");
}

void RunStore::fail(const std::string& id, const nlohmann::json& failure) const {
  write_json_atomic(dir(id) / "failed.json", failure);
}

}  // namespace bgm
