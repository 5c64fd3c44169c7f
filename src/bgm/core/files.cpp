#include "bgm/core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bgm/core/error.h"

namespace bgm {

void write_file_atomic(const std::filesystem::path& path, const std::string& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  // fsync before the rename: otherwise a crash can leave the new name pointing at empty data.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(tmp.string() + ": cannot create (" + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());  // the old file at path stays as it was
      throw Error(tmp.string() + ": could not write " + std::to_string(bytes.size()) + " bytes (" + reason + ")");
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(tmp.string() + ": fsync failed (" + reason + ")");
  }
  std::filesystem::rename(tmp, path);
}

void write_json_atomic(const std::filesystem::path& path, const nlohmann::json& value) {
  write_file_atomic(path, value.dump(2) + "\n");
}

void write_json_atomic(const std::filesystem::path& path, const nlohmann::ordered_json& value) {
  write_file_atomic(path, value.dump(2) + "\n");
}

void ensure_writable_dir(const std::filesystem::path& dir, const std::string& where) {
  const std::string expected = "a directory bgm can create and write";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw input_error(where + " " + dir.string(), "a path that cannot be created (" + ec.message() + ")", expected);
  const std::filesystem::path probe = dir / ".bgm-write-probe";
  try {
    write_file_atomic(probe, "");
  } catch (const Error& e) {
    throw input_error(where + " " + dir.string(), std::string("a directory that cannot be written (") + e.what() + ")", expected);
  }
  std::filesystem::remove(probe, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parse_json(const std::string& text, const std::string& where, const std::string& expected) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw input_error(where, std::string("unparsable JSON (") + e.what() + ")", expected);
  }
}

}  // namespace bgm
