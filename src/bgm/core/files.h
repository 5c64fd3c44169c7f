#pragma once
// Writing results without ever leaving a half-written file: everything goes to "PATH.tmp" first
// and is renamed over PATH only once complete (rename is atomic on POSIX file systems).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// Writes bytes to path atomically (temporary file + rename); creates parent directories.
void write_file_atomic(const std::filesystem::path& path, const std::string& bytes);

/// Parses JSON text (the contents of `where`); any malformed text, a number too large for a
/// double included, throws bgm::Error "WHERE: got unparsable JSON (...), expected EXPECTED".
nlohmann::json parse_json(const std::string& text, const std::string& where, const std::string& expected);

/// Pretty-printed JSON, atomically (ordered_json keeps its keys in insertion order).
void write_json_atomic(const std::filesystem::path& path, const nlohmann::json& value);
void write_json_atomic(const std::filesystem::path& path, const nlohmann::ordered_json& value);

/// Creates dir if needed and proves it writable (a probe file written and removed); bgm::Error
/// "WHERE DIR: got a directory that cannot be written (reason), expected ..." otherwise.
void ensure_writable_dir(const std::filesystem::path& dir, const std::string& where);

/// Whole file as bytes; bgm::Error naming the file if it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace bgm
