#include "bgm/data/image_decode.h"

// clang-format off
#include <cstdio>  // jpeglib.h needs FILE declared first
#include <jpeglib.h>
// clang-format on
#include <png.h>
#include <setjmp.h>

#include <cstring>
#include <vector>

#include "bgm/core/error.h"
#include "bgm/data/dataset.h"

namespace bgm {
namespace {

// libjpeg reports errors through a callback that must not return; longjmp back to the caller.
struct JpegErrorManager {
  jpeg_error_mgr base;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, err->message);
  longjmp(err->jump, 1);
}

// libjpeg only warns (level -1) on truncated or corrupt data and fills the rest of the image
// with grey; a training image like that is bad input, so a warning is an error here.
void jpeg_emit_message(j_common_ptr info, int level) {
  if (level < 0) jpeg_error_exit(info);
}

void check_size(int width, int height, const std::filesystem::path& path) {
  if (width != kImageSide || height != kImageSide)
    throw input_error(path.string(), "a " + std::to_string(width) + "x" + std::to_string(height) +
                                         " image", "32x32 pixels");
}

void decode_jpeg(const std::string& bytes, const std::filesystem::path& path, uint8_t* out) {
  jpeg_decompress_struct info;
  JpegErrorManager err;
  info.err = jpeg_std_error(&err.base);
  err.base.error_exit = jpeg_error_exit;
  err.base.emit_message = jpeg_emit_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&info);
    throw input_error(path.string(), std::string("an undecodable JPEG (") + err.message + ")",
                      "a valid JPEG or PNG image");
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  if (static_cast<int>(info.output_width) != kImageSide ||
      static_cast<int>(info.output_height) != kImageSide) {
    int w = info.output_width, h = info.output_height;
    jpeg_destroy_decompress(&info);
    check_size(w, h, path);
  }
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out + info.output_scanline * kImageSide * kImageChannels;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
}

void decode_png(const std::string& bytes, const std::filesystem::path& path, uint8_t* out) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    throw input_error(path.string(), std::string("an undecodable PNG (") + image.message + ")",
                      "a valid JPEG or PNG image");
  int w = image.width, h = image.height;
  if (w != kImageSide || h != kImageSide) {
    png_image_free(&image);
    check_size(w, h, path);
  }
  image.format = PNG_FORMAT_RGB;
  if (!png_image_finish_read(&image, nullptr, out, 0, nullptr)) {
    std::string msg = image.message;
    png_image_free(&image);
    throw input_error(path.string(), "an undecodable PNG (" + msg + ")", "a valid JPEG or PNG image");
  }
}

}  // namespace

void decode_image_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return decode_jpeg(bytes, path, out);
  if (bytes.size() >= 8 && png_sig_cmp(b, 0, 8) == 0) return decode_png(bytes, path, out);
  throw input_error(path.string(), "a file of " + std::to_string(bytes.size()) +
                                       " bytes that is neither JPEG nor PNG",
                    "a JPEG or PNG image");
}

}  // namespace bgm
