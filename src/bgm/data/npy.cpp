#include "bgm/data/npy.h"

#include <fstream>
#include <sstream>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace bgm {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kPreamble = kMagicSize + 2 + 2;  // magic, version, header length

std::string descr_of(torch::ScalarType t) {
  if (t == torch::kUInt8) return "|u1";
  if (t == torch::kInt64) return "<i8";
  throw Error("write_npy: only uint8 and int64 tensors are written, got " + std::string(c10::toString(t)));
}

// The text between `key`'s quotes-and-colon and the next `end` character in a header dict.
std::string field(const std::string& header, const std::string& key, char end, const std::string& where) {
  const auto at = header.find("'" + key + "':");
  if (at == std::string::npos) throw input_error(where, "a header without '" + key + "'", "a .npy header dict");
  const auto from = header.find_first_not_of(' ', at + key.size() + 3);
  const auto to = header.find(end, from + 1);
  if (from == std::string::npos || to == std::string::npos)
    throw input_error(where, "a malformed '" + key + "' field", "a .npy header dict");
  return header.substr(from, to - from + 1);
}

}  // namespace

void write_npy(const std::filesystem::path& path, const torch::Tensor& t) {
  const auto data = t.contiguous().cpu();
  std::ostringstream shape;
  shape << "(";
  for (int64_t d = 0; d < data.dim(); ++d) shape << data.size(d) << (data.dim() == 1 || d + 1 < data.dim() ? ", " : "");
  shape << ")";
  std::string header = "{'descr': '" + descr_of(data.scalar_type()) + "', 'fortran_order': False, 'shape': " +
                       shape.str() + ", }";
  // Pad with spaces and end with a newline so the data starts on a 64-byte boundary.
  const size_t total = (kPreamble + header.size() + 1 + 63) / 64 * 64;
  header.append(total - kPreamble - header.size() - 1, ' ');
  header += '\n';
  std::string bytes(kMagic, kMagicSize);
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(static_cast<const char*>(data.data_ptr()), data.numel() * data.element_size());
  write_file_atomic(path, bytes);
}

torch::Tensor read_npy(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(where, "a file that cannot be opened", "a readable NumPy .npy file");
  std::string preamble(kPreamble, '\0');
  in.read(preamble.data(), static_cast<std::streamsize>(kPreamble));
  if (in.gcount() != static_cast<std::streamsize>(kPreamble) || preamble.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
    throw input_error(where, "a file that does not start with the .npy magic", "a NumPy .npy file");
  if (preamble[kMagicSize] != 1)
    throw input_error(where, ".npy format version " + std::to_string(static_cast<int>(preamble[kMagicSize])), "version 1.0");
  const size_t header_size =
      static_cast<unsigned char>(preamble[8]) | static_cast<size_t>(static_cast<unsigned char>(preamble[9])) << 8;
  std::string header(header_size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_size));
  if (in.gcount() != static_cast<std::streamsize>(header_size)) throw input_error(where, "a truncated header", "a whole .npy file");

  const std::string descr = field(header, "descr", '\'', where);
  torch::ScalarType type;
  if (descr == "'|u1'") type = torch::kUInt8;
  else if (descr == "'<i8'") type = torch::kInt64;
  else throw input_error(where, "dtype " + descr, "'|u1' (uint8) or '<i8' (int64)");
  if (field(header, "fortran_order", ',', where).rfind("False", 0) != 0)
    throw input_error(where, "Fortran order", "C order");

  const std::string dims_text = field(header, "shape", ')', where);
  std::vector<int64_t> shape;
  std::istringstream dims(dims_text.substr(1, dims_text.size() - 2));
  const size_t element_size = type == torch::kUInt8 ? 1 : 8;
  uint64_t elements = 1;
  for (std::string part; std::getline(dims, part, ',');) {
    const auto from = part.find_first_not_of(' '), to = part.find_last_not_of(' ');
    if (from == std::string::npos) continue;  // "(5, )" ends with an empty part
    const std::string digits = part.substr(from, to - from + 1);
    if (digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw input_error(where, "shape " + dims_text, "a tuple of non-negative sizes");
    const uint64_t d = std::stoull(digits);
    shape.push_back(static_cast<int64_t>(d));
    elements *= d;
    if (elements > (uint64_t{1} << 40)) throw input_error(where, "shape " + dims_text, "under 2^40 elements");
  }
  const uint64_t data_bytes = elements * element_size;
  in.seekg(0, std::ios::end);
  const auto file_bytes = static_cast<uint64_t>(in.tellg());
  if (file_bytes != kPreamble + header_size + data_bytes)
    throw input_error(where, std::to_string(file_bytes) + " bytes",
                      std::to_string(kPreamble + header_size + data_bytes) + " for shape " + c10::str(shape));
  // The data goes straight into the tensor: no second copy of a large file in memory.
  auto out = torch::empty(shape, torch::TensorOptions().dtype(type));
  in.seekg(static_cast<std::streamoff>(kPreamble + header_size));
  in.read(static_cast<char*>(out.data_ptr()), static_cast<std::streamsize>(data_bytes));
  if (static_cast<uint64_t>(in.gcount()) != data_bytes) throw input_error(where, "a read error", "a readable file");
  return out;
}

}  // namespace bgm
